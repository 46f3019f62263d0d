package io.splitroute.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Runs the system's own tools to read the kernel's state ({@code ip}, {@code iptables-save}, {@code nft},
 * {@code wg}, {@code ipset}). A diagnosis may fork: it runs once, never per address on the query path.
 */
class HostTools {
    private static final long TIMEOUT_SECONDS = 10;

    /**
     * What a tool printed.
     *
     * @param exit its exit status; 127 when it is not installed, 124 when it did not finish in time
     * @param out  standard output
     * @param err  standard error
     */
    record Output(int exit, String out, String err) {
        /** Returns whether it exited 0. */
        boolean ok() {
            return exit == 0;
        }

        /** Returns the first line of what it said on stderr (or stdout), for a one-line report. */
        String error() {
            String text = err.isBlank() ? out : err;
            return text.strip().lines().findFirst().orElse("exit status " + exit);
        }
    }

    /** Runs {@code command}; never throws: a tool that is missing or hangs is an {@link Output} too. */
    Output run(String... command) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
            process.getOutputStream().close(); // no input: a tool that asks for some gets end of file
        } catch (IOException e) {
            return new Output(127, "", command[0] + " is not installed (or not on the PATH)");
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Output(124, "", String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Output(process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Output(124, "", "interrupted");
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses the JSON the tools print with {@code -j} (JSON is YAML 1.2: the config's parser reads it) into
     * maps, lists, strings and numbers.
     *
     * @throws IllegalArgumentException if it is not JSON
     */
    static Object json(String text) {
        try {
            return new Load(LoadSettings.builder().build()).loadFromString(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** Returns {@code value} as a list of maps (anything else in it skipped), empty when it is no list. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).map(o -> (Map<String, Object>) o).toList();
    }
}
