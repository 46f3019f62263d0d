package io.splitroute.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A uniquely named network namespace for kernel tests ({@code ip netns add sr-test-<random>}), with
 * helpers to run the ipset / nft CLIs inside it (to set up and to CHECK, never to write the elements
 * under test). Close removes it.
 */
public final class TestNamespace implements AutoCloseable {
    private final String name;

    private TestNamespace(String name) {
        this.name = name;
    }

    /** Returns whether this process can create namespaces and run the CLIs (root on Linux). */
    public static boolean available() {
        try {
            boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
            return root && start(List.of("ip", "netns", "list"), null).exit() == 0;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    /** Creates a namespace named {@code sr-test-<prefix>-<random>}. */
    public static TestNamespace create(String prefix) {
        String name = "sr-test-" + prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        run(List.of("ip", "netns", "add", name));
        return new TestNamespace(name);
    }

    /** Returns the namespace name. */
    public String name() {
        return name;
    }

    /** Returns {@code /run/netns/NAME}, for {@code NetlinkSocket.open}. */
    public Path path() {
        return Path.of("/run/netns", name);
    }

    /** Runs {@code command} inside the namespace; fails the test if it exits non-zero; returns stdout. */
    public String exec(String... command) {
        return run(prefixed(command));
    }

    /** Runs {@code command} inside the namespace; returns stdout + stderr whatever the exit code. */
    public Result execAllowingFailure(String... command) {
        return start(prefixed(command), null);
    }

    /** Runs {@code command} inside the namespace with {@code input} on stdin; fails if it exits non-zero. */
    public String execWithInput(String input, String... command) {
        Result result = start(prefixed(command), input);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exit() + "): " + result.output());
        }
        return result.output();
    }

    private List<String> prefixed(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return full;
    }

    private static String run(List<String> command) {
        Result result = start(command, null);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exit() + "): " + result.output());
        }
        return result.output();
    }

    private static Result start(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (input != null) {
                try (var stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            } else {
                process.getOutputStream().close();
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** Deletes the namespace (and with it every set in it). */
    @Override
    public void close() {
        start(List.of("ip", "netns", "del", name), null);
    }

    /** Exit code and combined output of a command. */
    public record Result(int exit, String output) {}
}
