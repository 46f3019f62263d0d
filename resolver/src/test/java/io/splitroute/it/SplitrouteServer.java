package io.splitroute.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.xbill.DNS.Type;

/**
 * The packaged jar ({@code target/splitroute.jar}, built by {@code package} before failsafe runs) started
 * as {@code java -jar splitroute.jar run --config FILE} with the test JVM's own {@code java}.
 */
public final class SplitrouteServer implements AutoCloseable {

    /** The jar, relative to the module directory failsafe runs in. */
    public static final Path JAR = Path.of("target", "splitroute.jar");

    private final ChildProcess process;
    private final int port;

    private SplitrouteServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Writes {@code listen: ["127.0.0.1:PORT"]} (plus {@code "[::1]:PORT"} when {@code ipv6Too}) with a free
     * PORT, followed by {@code configBody}, to {@code dir/splitroute.yaml}, starts the jar on it and waits
     * until it answers {@code probeName}.
     *
     * @throws IOException if the config cannot be written or java cannot be started
     * @throws IllegalStateException if the jar is missing, or the server exits or stays silent for 30 s
     */
    public static SplitrouteServer start(Path dir, String configBody, String probeName, boolean ipv6Too)
            throws IOException {
        return start(dir, configBody, probeName, ipv6Too, List.of("-Xmx128m"));
    }

    /**
     * Like {@link #start(Path, String, String, boolean)}, with {@code jvmFlags} instead of {@code -Xmx128m}
     * (e.g. the shipped flags, {@link ShippedJvmFlags}).
     */
    public static SplitrouteServer start(Path dir, String configBody, String probeName, boolean ipv6Too,
                                         List<String> jvmFlags) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " missing: run ./mvnw package first");
        }
        Files.createDirectories(dir);
        int port = LoopbackPorts.freePort();
        Stream<String> addresses = ipv6Too
                ? Stream.of("127.0.0.1:" + port, "[::1]:" + port)
                : Stream.of("127.0.0.1:" + port);
        String listen = addresses.map(address -> "\"" + address + "\"")
                .collect(Collectors.joining(", ", "listen: [", "]\n"));
        Path config = Files.writeString(dir.resolve("splitroute.yaml"), listen + configBody);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", JAR.toString(), "run", "--config", config.toString()));
        ChildProcess process = ChildProcess.start("splitroute", command, dir.resolve("splitroute.log"));
        try {
            LoopbackResolver.awaitFirstAnswer(process, port, probeName, Type.A, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new SplitrouteServer(process, port);
    }

    /** Returns the port of the 127.0.0.1 listener (UDP and TCP). */
    public int port() {
        return port;
    }

    /** Returns whether the server process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Returns the server's pid, exit state and last output, for failure messages. */
    public String describe() {
        return process.describe();
    }

    /** Stops the server with SIGTERM (SIGKILL after 5 s). */
    @Override
    public void close() {
        process.close();
    }
}
