package io.splitroute.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.sink.TestNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listen address that does not exist yet at start (the LAN address before DHCP) is waited for: the
 * packaged jar runs in a network namespace the test creates, the address is added afterwards, and the
 * server answers on it without a restart.
 */
class ListenRetryIT {
    @TempDir
    Path dir;

    @Test
    void addressAppearingAfterStartIsServed() throws Exception {
        assumeTrue(TestNamespace.available(), "needs root and ip netns");
        Path config = dir.resolve("splitroute.yaml");
        Files.writeString(config, """
                listen: ["10.99.0.1:5353"]
                upstreams: { isp: ["udp://127.0.0.1:9"] }
                admin: off
                """);
        Path log = dir.resolve("out.log");
        try (TestNamespace ns = TestNamespace.create("listen")) {
            ns.exec("ip", "link", "set", "lo", "up");
            Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", Path.of("target/splitroute.jar").toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                awaitLog(log, "10.99.0.1:5353 is not on any interface yet", p);
                assertThat(p.isAlive()).as("a missing address must not stop start-up").isTrue();

                ns.exec("ip", "addr", "add", "10.99.0.1/32", "dev", "lo");
                awaitLog(log, "10.99.0.1:5353 appeared; now listening on it", p);

                // The first answers of a JVM that was idle since start load their classes: on a loaded 2-core
                // machine that took over 2 s, so the wait is about the address, not the latency.
                String udp = ns.exec("dig", "@10.99.0.1", "-p", "5353", "version.bind", "TXT", "CH", "+short", "+time=5", "+tries=2");
                String tcp = ns.exec("dig", "+tcp", "@10.99.0.1", "-p", "5353", "version.bind", "TXT", "CH", "+short", "+time=5", "+tries=2");
                assertThat(udp).contains("splitroute");
                assertThat(tcp).contains("splitroute");
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void awaitLog(Path log, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the log never said '" + text + "':\n" + Files.readString(log));
    }
}
