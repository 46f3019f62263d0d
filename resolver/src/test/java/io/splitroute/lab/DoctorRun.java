package io.splitroute.lab;

import io.splitroute.it.SplitrouteServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of the packaged jar's {@code doctor} inside a namespace, as root runs it on a router, with what it
 * printed and its exit status.
 *
 * @param exit   the exit status
 * @param output stdout and stderr
 */
record DoctorRun(int exit, String output) {
    /** A doctor run checks upstreams with their timeouts and starts a JVM on a loaded machine. */
    private static final long LIMIT_SECONDS = 120;

    /** Runs {@code splitroute doctor ARGS} in {@code ns}. */
    static DoctorRun in(Netns ns, String... args) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // Its own class-data archive: JVM start is most of a run's time on a loaded machine.
        Path archive = SplitrouteServer.JAR.toAbsolutePath().resolveSibling("splitroute-doctor.jsa");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(), java.toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive,
                "-jar", SplitrouteServer.JAR.toAbsolutePath().toString(), "doctor"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("doctor did not finish in " + LIMIT_SECONDS + " s");
        }
        return new DoctorRun(process.exitValue(), new String(output.join(), StandardCharsets.UTF_8));
    }

    /** Returns the line of the check called {@code check} ({@code FAIL set gfw4: ...}), or fails with the output. */
    String line(String check) {
        return output.lines().filter(l -> l.length() > 5 && l.substring(5).startsWith(check + ": ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for '" + check + "' in:\n" + output));
    }

    @Override
    public String toString() {
        return "doctor exited " + exit + ":\n" + output;
    }
}
