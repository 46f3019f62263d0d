package io.splitroute.app;

import io.splitroute.query.Ticker;
import io.splitroute.sink.SetWriter;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * How to run a config, beyond the config itself.
 *
 * @param configFile where the config was read, re-read on reload ({@code null}: the embedded default)
 * @param dryRun     record set writes in memory (and log them) instead of writing to the kernel
 * @param version    the version line {@code version.bind} answers
 * @param setWriter  the kernel set writer to use instead of opening one (tests, embedding), or {@code null}
 * @param ticker     the clock of everything timed on the query path (cache lifetimes, cached ages); tests
 *                   advance one by hand instead of sleeping
 * @param wall       the wall clock the cache file's times are in
 */
public record RunOptions(Path configFile, boolean dryRun, String version, SetWriter setWriter, Ticker ticker,
                         InstantSource wall) {
    /** The version line of a build without a jar manifest (tests, the IDE). */
    public static final String DEVELOPMENT_VERSION = "splitroute (development build)";

    /** Returns these options with {@code writer} as the set writer. */
    public RunOptions withSetWriter(SetWriter writer) {
        return new RunOptions(configFile, dryRun, version, writer, ticker, wall);
    }

    /** Returns these options with {@code clock} as the ticker. */
    public RunOptions withTicker(Ticker clock) {
        return new RunOptions(configFile, dryRun, version, setWriter, clock, wall);
    }

    /** Returns these options with {@code clock} as the wall clock. */
    public RunOptions withWall(InstantSource clock) {
        return new RunOptions(configFile, dryRun, version, setWriter, ticker, clock);
    }
}
