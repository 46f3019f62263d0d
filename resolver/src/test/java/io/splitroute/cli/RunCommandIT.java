package io.splitroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** The packaged jar as users run it: start, answer, SIGTERM, exit 0; bad config, exit 2 with every error. */
class RunCommandIT {
    private static final Path JAR = Path.of("target/splitroute.jar");
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private Process launch(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    private static Message awaitAnswer(DnsClient client, String name, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                return client.udp(name, Type.A);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no answer from the jar within 20 s");
    }

    @Test
    void run_answersThenSigtermStopsWithStatus0() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().answer("a.example.", Type.A, 300, "192.0.2.1")) {
            int port = RunningResolver.freePort();
            Path config = dir.resolve("splitroute.yaml");
            Files.writeString(config, """
                    listen: ["127.0.0.1:%d"]
                    upstreams: { isp: ["%s"] }
                    """.formatted(port, upstream.udpUri()));
            Path log = dir.resolve("out.log");
            Process p = launch(log, "run", "--config", config.toString());

            Message reply = awaitAnswer(new DnsClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)), "a.example", p);
            new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
            awaitLog(log, "reloaded " + config);
            p.destroy(); // SIGTERM

            assertThat(reply.getSection(org.xbill.DNS.Section.ANSWER)).hasSize(1);
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("listening on 127.0.0.1:" + port + " (").contains("stopped");
        }
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the log never said '" + text + "':\n" + Files.readString(log));
    }

    @Test
    void run_badConfigExits2WithEveryProblem() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                listen: ["127.0.0.1:0"]
                upstreams: { isp: ["udp://nowhere:53"] }
                cache: { size: lots }
                """);
        Path log = dir.resolve("out.log");
        Process p = launch(log, "run", "--config", config.toString());

        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains(config + ":1: listen[0]:")
                .contains(config + ":2: upstreams.isp[0]:")
                .contains(config + ":3: cache.size: expected a whole number, got 'lots'");
    }

    @Test
    void version_printsVersion() throws Exception {
        Path log = dir.resolve("out.log");
        Process p = launch(log, "version");

        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(log)).startsWith("splitroute 0.");
    }
}
