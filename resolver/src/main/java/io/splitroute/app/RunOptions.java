package io.splitroute.app;

import io.splitroute.sink.SetWriter;
import java.nio.file.Path;

/**
 * How to run a config, beyond the config itself.
 *
 * @param configFile where the config was read, re-read on reload ({@code null}: the embedded default)
 * @param dryRun     record set writes in memory (and log them) instead of writing to the kernel
 * @param version    the version line {@code version.bind} answers
 * @param setWriter  the kernel set writer to use instead of opening one (tests, embedding), or {@code null}
 */
public record RunOptions(Path configFile, boolean dryRun, String version, SetWriter setWriter) {
    /** The version line of a build without a jar manifest (tests, the IDE). */
    public static final String DEVELOPMENT_VERSION = "splitroute (development build)";

    /** Returns these options with {@code writer} as the set writer. */
    public RunOptions withSetWriter(SetWriter writer) {
        return new RunOptions(configFile, dryRun, version, writer);
    }
}
