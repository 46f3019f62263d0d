package io.splitroute.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Reloading config and lists while serving: atomic, nothing unanswered, bad input keeps the running state. */
class ReloadIT {
    @TempDir
    Path dir;
    private FakeUpstream tunnel;
    private FakeUpstream isp;
    private RunningResolver resolver;
    private Path config;
    private Path list;
    private int port;

    @BeforeEach
    void start() throws Exception {
        // TTL 0: never cached, so every query is routed afresh.
        tunnel = FakeUpstream.start().answer("x.example.", Type.A, 0, "192.0.2.1").answer("y.example.", Type.A, 300, "192.0.2.2");
        isp = FakeUpstream.start().answer("x.example.", Type.A, 0, "198.51.100.1").answer("y.example.", Type.A, 300, "198.51.100.2");
        port = RunningResolver.freePort();
        config = dir.resolve("splitroute.yaml");
        list = dir.resolve("mine.txt");
        Files.writeString(list, "x.example\ny.example\n");
        writeConfig("isp");
        resolver = RunningResolver.startFile(config, port);
    }

    private void writeConfig(String routeUpstream) throws Exception {
        Files.writeString(config, """
                listen: ["127.0.0.1:%d"]
                upstreams: { tunnel: ["%s"], isp: ["%s"] }
                lists: { mine: { file: mine.txt, format: domains } }
                routes: [{ name: tunnel, lists: [mine], upstream: %s }]
                default-upstream: isp
                """.formatted(port, tunnel.udpUri(), isp.udpUri(), routeUpstream));
    }

    @AfterEach
    void stop() {
        resolver.close();
        tunnel.close();
        isp.close();
    }

    @Test
    void reload_twentyTimesUnderLoad_everyQueryAnsweredByOneWholeTable() throws Exception {
        Files.writeString(list, "x.example\n");
        writeConfig("tunnel");
        assertThat(resolver.lifecycle().reload().applied()).isTrue();
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(4);
        for (int c = 0; c < 4; c++) {
            clients.add(Thread.ofPlatform().start(() -> {
                DnsClient client = resolver.client();
                started.countDown();
                for (int i = 0; i < 5000 && running.get(); i++) {
                    try {
                        Message reply = client.udp("x.example", Type.A);
                        String key = reply.getRcode() == Rcode.NOERROR ? DnsClient.firstAddress(reply) : Rcode.string(reply.getRcode());
                        answers.computeIfAbsent(String.valueOf(key), k -> new AtomicInteger()).incrementAndGet();
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        started.await();
        for (int r = 0; r < 20; r++) {
            // Alternate: x.example on the tunnel list, then off it (to the default route).
            Files.writeString(list, r % 2 == 0 ? "y.example\n" : "x.example\ny.example\n");
            ReloadResult result = resolver.lifecycle().reload();
            assertThat(result.applied()).as(result.toString()).isTrue();
            Thread.sleep(25);
        }
        running.set(false);
        for (Thread t : clients) {
            t.join();
        }

        assertThat(failures).as("queries without an answer").hasValue(0);
        assertThat(answers.keySet()).as("only whole-table answers, no SERVFAIL").containsOnly("192.0.2.1", "198.51.100.1");
        assertThat(answers.values().stream().mapToInt(AtomicInteger::get).sum()).isGreaterThan(100);
    }

    @Test
    void reload_badConfigKeepsRunningStateAndReportsEveryError() throws Exception {
        Files.writeString(config, "listen: [\"127.0.0.1:%d\"]\nupstreams: { isp: [\"nowhere\"] }\ncache: { size: lots }\n".formatted(port));

        ReloadResult result = resolver.lifecycle().reload();

        assertThat(result.applied()).isFalse();
        assertThat(result.problems()).hasSize(2);
        assertThat(result.problems().get(0)).startsWith(config + ":2: upstreams.isp[0]:");
        assertThat(result.problems().get(1)).startsWith(config + ":3: cache.size:");
        assertThat(DnsClient.firstAddress(resolver.client().udp("x.example", Type.A))).isEqualTo("198.51.100.1");
    }

    @Test
    void reload_missingListKeepsRunningState() throws Exception {
        Files.delete(list);

        ReloadResult result = resolver.lifecycle().reload();

        assertThat(result.applied()).isFalse();
        assertThat(result.problems()).singleElement().asString().contains("mine.txt does not exist");
        assertThat(resolver.lifecycle().admin().registry().get("config.reloads").tag("result", "rejected").counter().count())
                .isEqualTo(1.0);
        assertThat(resolver.lifecycle().resolver().routing().route("x.example").name()).isEqualTo("tunnel");
    }

    @Test
    void reload_cacheKeepsUnchangedRoutesAndDropsChangedOnes() throws Exception {
        resolver.client().udp("y.example", Type.A);
        assertThat(isp.queryCount("y.example", Type.A)).isEqualTo(1);
        // Same routes, one more name listed: y.example's cached answer stays.
        Files.writeString(list, "x.example\ny.example\nz.example\n");
        assertThat(resolver.lifecycle().reload().applied()).isTrue();
        resolver.client().udp("y.example", Type.A);
        assertThat(isp.queryCount("y.example", Type.A)).isEqualTo(1);

        // The tunnel route now goes to another upstream: its cached answers are dropped.
        writeConfig("tunnel");
        ReloadResult result = resolver.lifecycle().reload();
        Message reply = resolver.client().udp("y.example", Type.A);

        assertThat(result.summary()).contains("1 cached answers dropped");
        assertThat(DnsClient.firstAddress(reply)).isEqualTo("192.0.2.2");
    }

    @Test
    void reload_listenChangeReportedAsNeedingRestart() throws Exception {
        Files.writeString(config, Files.readString(config).replace("127.0.0.1:" + port, "127.0.0.1:" + (port + 1)));

        ReloadResult result = resolver.lifecycle().reload();

        assertThat(result.applied()).isTrue();
        assertThat(result.problems()).singleElement().asString().contains("need a restart");
    }
}
