package io.splitroute.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program started by a test, its output captured to a file, ended by its own handle on {@link #close()}.
 *
 * <p>Only the process this object started is ever signalled: SIGTERM first, SIGKILL after five seconds.
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with stdout and stderr appended to {@code log}.
     *
     * @param name what to call the process in messages, e.g. {@code "dnsmasq"}
     * @throws IOException if the program cannot be started
     */
    public static ChildProcess start(String name, List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        return new ChildProcess(name, process, log);
    }

    /** Returns the name given at start. */
    public String name() {
        return name;
    }

    /** Returns true while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Returns the operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /** Returns the last {@code lines} lines of the process's output, for failure messages. */
    public String outputTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** Returns a one-line description with the pid and exit status, plus the output tail. */
    public String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return name + " (pid " + process.pid() + ", " + state + "), last output:\n" + outputTail(30);
    }

    /** Terminates the process (SIGTERM, then SIGKILL after 5 s) and waits for it. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
