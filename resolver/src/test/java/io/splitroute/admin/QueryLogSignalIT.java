package io.splitroute.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * The packaged jar and logrotate's convention: the query log file is moved away, SIGUSR2 makes the server open
 * a new file by that name, and the next queries go there; the process keeps running.
 */
class QueryLogSignalIT {
    private static final Path JAR = Path.of("target/splitroute.jar");

    @TempDir
    Path dir;

    @Test
    void sigusr2_afterTheFileWasMoved_logsToANewFileByName() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().unknownWildcard(300)) {
            int port = RunningResolver.freePort();
            Path queries = dir.resolve("queries.jsonl");
            Path config = Files.writeString(dir.resolve("splitroute.yaml"), """
                    listen: ["127.0.0.1:%d"]
                    upstreams: { isp: ["%s"] }
                    upstream-timeout: 5s
                    admin: off
                    query-log: { enabled: true, file: "%s" }
                    """.formatted(port, upstream.udpUri(), queries));
            Path out = dir.resolve("out.log");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    JAR.toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                DnsClient client = new DnsClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                awaitAnswer(client, "before.example", p);
                awaitLines(queries, 1);
                Path rotated = dir.resolve("queries.jsonl.1");
                Files.move(queries, rotated);

                new ProcessBuilder("kill", "-USR2", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
                awaitLog(out, "query log reopened");
                client.udp("after.example", Type.A);
                awaitLines(queries, 1);

                assertThat(p.isAlive()).as(Files.readString(out)).isTrue();
                // A cold JVM on a busy machine may answer the first query late and see it retried: lines, not one line.
                assertThat(Files.readAllLines(rotated)).isNotEmpty()
                        .allMatch(line -> line.contains("\"name\":\"before.example\""));
                assertThat(Files.readAllLines(queries)).isNotEmpty()
                        .allMatch(line -> line.contains("\"name\":\"after.example\""));
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void awaitAnswer(DnsClient client, String name, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                client.udp(name, Type.A);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no answer from the jar within 20 s");
    }

    private static void awaitLines(Path file, int lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && (!Files.exists(file) || Files.readAllLines(file).size() < lines)) {
            Thread.sleep(50);
        }
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !Files.readString(log).contains(text)) {
            Thread.sleep(50);
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("server output").anyMatch(line -> line.contains(text));
    }
}
