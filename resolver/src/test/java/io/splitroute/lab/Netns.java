package io.splitroute.lab;

import io.splitroute.it.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One network namespace of the lab ({@code ip netns add NAME}), with helpers to run commands inside it.
 * Close deletes it, and with it every interface and set it holds.
 */
public final class Netns implements AutoCloseable {

    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Creates the namespace {@code name} with its loopback up. */
    public static Netns create(String name) {
        run(List.of("ip", "netns", "add", name), null);
        Netns ns = new Netns(name);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Returns the namespace's name, as {@code ip netns} knows it. */
    public String name() {
        return name;
    }

    /** Runs {@code command} inside the namespace; throws with its output if it exits non-zero; returns stdout. */
    public String exec(String... command) {
        return run(prefixed(List.of(command)), null).output();
    }

    /** Runs {@code command} inside the namespace; returns exit code and output whatever the exit code. */
    public Result execAllowingFailure(String... command) {
        return start(prefixed(List.of(command)), null);
    }

    /** Runs {@code sh -c script} inside the namespace with {@code args} as $1...; returns the result. */
    public Result sh(String script, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        command.addAll(List.of(args));
        return start(prefixed(command), null);
    }

    /** Runs {@code command} inside the namespace with {@code input} on stdin; throws if it exits non-zero. */
    public String execWithInput(String input, String... command) {
        return run(prefixed(List.of(command)), input).output();
    }

    /** Starts a long-running {@code command} inside the namespace, its output appended to {@code log}. */
    public ChildProcess spawn(String what, Path log, String... command) throws IOException {
        // `ip netns exec` execs the program after entering the namespace: the pid is the program's own.
        return ChildProcess.start(what + " in " + name, prefixed(List.of(command)), log);
    }

    private List<String> prefixed(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    private static Result run(List<String> command, String input) {
        Result result = start(command, input);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exit() + "): " + result.output());
        }
        return result;
    }

    private static Result start(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            // Read while it runs, so a large output cannot fill the pipe and stall the command.
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process));
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in "
                        + COMMAND_TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(output.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    private static byte[] readAll(Process process) {
        try {
            return process.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the namespace; never throws (teardown must go on). */
    @Override
    public void close() {
        start(List.of("ip", "netns", "del", name), null);
    }

    /** Exit code and combined stdout + stderr of one command. */
    public record Result(int exit, String output) {}
}
