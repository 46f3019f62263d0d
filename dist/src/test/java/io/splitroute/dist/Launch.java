package io.splitroute.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a launcher ({@code bin/splitroute}) with exactly the environment given, and what it printed.
 *
 * @param exitCode the process's exit status
 * @param stdout everything on standard output
 * @param stderr everything on standard error
 */
record Launch(int exitCode, String stdout, String stderr) {

    /** The unpacked tarball built by {@code package}: {@code dist/target/splitroute}. */
    static final Path DIST = Path.of(System.getProperty("dist.dir", "target/splitroute"));

    /** The project version the build stamped into the jar. */
    static final String VERSION = System.getProperty("splitroute.version", "");

    /**
     * Runs {@code launcher args...} with only {@code env} in its environment (PATH included), for at most 2 minutes.
     *
     * @throws IOException if the launcher cannot be started
     * @throws IllegalStateException if it does not finish in time (it is killed)
     */
    static Launch run(Path launcher, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        // Both streams are small (a help text at most); read them on two threads so neither pipe fills.
        var stderr = process.getErrorStream();
        var err = new StringBuilder();
        Thread errReader = Thread.ofVirtual().start(() -> {
            try {
                err.append(new String(stderr.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.append(e);
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " still running after 2 minutes");
        }
        errReader.join();
        return new Launch(process.exitValue(), out, err.toString());
    }
}
