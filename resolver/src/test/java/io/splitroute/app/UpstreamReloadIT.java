package io.splitroute.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import io.splitroute.upstream.ServerUpstream;
import io.splitroute.upstream.Upstream;
import io.splitroute.upstream.UpstreamGroup;
import io.splitroute.upstream.UpstreamStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Upstream groups across a reload: a group whose config is unchanged keeps running (its connection stays open,
 * its meters go on counting); a changed one is replaced, and the old one's connection closes once the query
 * in flight on it is answered; the meters follow the running groups.
 */
class UpstreamReloadIT {
    @TempDir
    Path dir;
    private FakeUpstream clean;
    private FakeUpstream isp;
    private RunningResolver resolver;
    private Path config;
    private int port;
    private int adminPort;

    @BeforeEach
    void start() throws Exception {
        clean = FakeUpstream.start().answer("x.example.", Type.A, 0, "192.0.2.1")
                .answer("slow.example.", Type.A, 0, "192.0.2.2").delay("slow.example.", Duration.ofMillis(700));
        isp = FakeUpstream.start().answer("other.example.", Type.A, 0, "198.51.100.1");
        port = RunningResolver.freePort();
        adminPort = RunningResolver.freePort();
        config = dir.resolve("splitroute.yaml");
        writeConfig("[\"" + clean.tcpUri() + "\"]", "[\"" + isp.udpUri() + "\"]");
        resolver = RunningResolver.startFile(config, port);
    }

    private void writeConfig(String cleanGroup, String ispGroup) throws Exception {
        Files.writeString(config, """
                listen: ["127.0.0.1:%d"]
                admin: { listen: "127.0.0.1:%d" }
                upstreams: { clean: %s, isp: %s }
                routes: [{ name: tunnel, domains: [x.example, slow.example], upstream: clean }]
                default-upstream: isp
                """.formatted(port, adminPort, cleanGroup, ispGroup));
    }

    @AfterEach
    void stop() {
        resolver.close();
        clean.close();
        isp.close();
    }

    private Upstream group(String name) {
        return resolver.lifecycle().resolver().groups.get(name);
    }

    private PrometheusMeterRegistry registry() {
        return resolver.lifecycle().admin().registry();
    }

    @Test
    void reload_unchangedGroupKeepsItsConnectionAndMeters_changedOneIsReplaced() throws Exception {
        assertThat(DnsClient.firstAddress(resolver.client().udp("x.example", Type.A))).isEqualTo("192.0.2.1");
        Upstream before = group("clean");
        UpstreamStats cleanStats = ((UpstreamGroup) before).stats().get(clean.tcpUri());
        assertThat(cleanStats.openConnections()).isEqualTo(1);
        FakeUpstream otherIsp = FakeUpstream.start().answer("other.example.", Type.A, 0, "198.51.100.9");
        try {
            writeConfig("[\"" + clean.tcpUri() + "\"]", "[\"" + otherIsp.udpUri() + "\"]");
            assertThat(resolver.lifecycle().reload().applied()).isTrue();

            assertThat(group("clean")).isSameAs(before);
            assertThat(cleanStats.openConnections()).as("the unchanged group's connection after the reload").isEqualTo(1);
            assertThat(clean.tcpConnections()).isEqualTo(1);
            assertThat(DnsClient.firstAddress(resolver.client().udp("x.example", Type.A))).isEqualTo("192.0.2.1");
            assertThat(DnsClient.firstAddress(resolver.client().udp("other.example", Type.A))).isEqualTo("198.51.100.9");

            String cleanTags = "{server=\"" + clean.tcpUri() + "\",upstream=\"clean\"}";
            String scrape = registry().scrape();
            assertThat(scrape.lines()).contains("dns_upstream_queries_total" + cleanTags + " 2.0",
                    "dns_upstream_latency_seconds_count" + cleanTags + " 2",
                    "dns_upstream_queries_total{server=\"" + otherIsp.udpUri() + "\",upstream=\"isp\"} 1.0");
            assertThat(scrape).doesNotContain("server=\"" + isp.udpUri() + "\"");
        } finally {
            otherIsp.close();
        }
    }

    @Test
    void reload_replacedGroupClosesItsConnectionAfterTheQueryInFlight() throws Exception {
        assertThat(DnsClient.firstAddress(resolver.client().udp("x.example", Type.A))).isEqualTo("192.0.2.1");
        Upstream oldGroup = group("clean");
        ServerUpstream oldServer = (ServerUpstream) ((UpstreamGroup) oldGroup).servers().getFirst();
        CompletableFuture<Message> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return resolver.client().udp("slow.example", Type.A);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await(() -> clean.queryCount("slow.example.", Type.A) == 1);
        int connections = clean.tcpConnections(); // one per event loop that sent a query

        writeConfig("[\"" + clean.tcpUri() + "\", \"" + clean.udpUri() + "\"]", "[\"" + isp.udpUri() + "\"]");
        assertThat(resolver.lifecycle().reload().applied()).isTrue();

        assertThat(group("clean")).isNotSameAs(oldGroup);
        assertThat(oldServer.stats().openConnections()).as("open while its query is in flight").isPositive();
        Message reply = slow.get();
        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(DnsClient.firstAddress(reply)).isEqualTo("192.0.2.2");
        await(() -> oldServer.stats().openConnections() == 0);
        assertThat(clean.tcpConnections()).as("the query in flight needed no second connection").isEqualTo(connections);
        assertThat(registry().scrape().lines())
                .contains("dns_upstream_queries_total{server=\"" + clean.udpUri() + "\",upstream=\"clean\"} 0.0");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
