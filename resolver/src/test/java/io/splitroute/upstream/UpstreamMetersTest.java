package io.splitroute.upstream;

import static io.splitroute.upstream.Queries.await;
import static io.splitroute.upstream.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.epoll.Epoll;
import io.splitroute.net.NetTransport;
import io.splitroute.testing.FakeUpstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** The upstream meters: per server counters, errors by kind, connections, the bound-and-failing gauge, rebind. */
class UpstreamMetersTest {

    private static NetTransport transport;
    private FakeUpstream fake;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void startTransport() {
        transport = NetTransport.create(1);
    }

    @AfterAll
    static void stopTransport() {
        transport.close();
    }

    @BeforeEach
    void startFake() {
        fake = FakeUpstream.start().answer("a.example.", Type.A, 60, "192.0.2.1").silent("quiet.example.");
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    /** Attempts of 3 s: room for a loaded test machine; no test here waits for a timeout with these. */
    private static UpstreamGroup group(String name, String... servers) {
        return new UpstreamFactory().group(name, List.of(servers),
                UpstreamOptions.defaults(transport).withAttemptTimeout(Duration.ofSeconds(3)));
    }

    private double count(String meter, String group, String server, String... tags) {
        FunctionCounter counter = registry.find(meter).tags("upstream", group, "server", server).tags(tags).functionCounter();
        return counter == null ? Double.NaN : counter.count();
    }

    @Test
    void perServer_queriesFailuresAndErrorsByKind() throws Exception {
        // A short timeout for the silent name; the loaded test machine answers loopback well within it otherwise.
        UpstreamGroup isp = new UpstreamFactory().group("isp", List.of(fake.udpUri()),
                UpstreamOptions.defaults(transport).withAttemptTimeout(Duration.ofMillis(500)));
        new UpstreamMeters(Map.of("isp", isp)).bindTo(registry);

        await(isp.query(query("a.example.", Type.A)));
        Queries.failure(isp.query(query("quiet.example.", Type.A)));

        assertThat(count("dns.upstream.queries", "isp", fake.udpUri())).isEqualTo(2);
        assertThat(count("dns.upstream.failures", "isp", fake.udpUri())).isEqualTo(1);
        assertThat(count("dns.upstream.errors", "isp", fake.udpUri(), "kind", "timeout")).isEqualTo(1);
        assertThat(count("dns.upstream.errors", "isp", fake.udpUri(), "kind", "interface_down")).isZero();
        assertThat(registry.find("dns.upstream.latency").tags("server", fake.udpUri()).timer().count()).isEqualTo(1);
        assertThat(registry.find("dns.upstream.errors").meters()).allSatisfy(m ->
                assertThat(m.getId().getDescription()).isNotBlank());
    }

    @Test
    void tcpServer_openConnectionsAndConnectionsOpened() throws Exception {
        UpstreamGroup clean = group("clean", fake.tcpUri());
        new UpstreamMeters(Map.of("clean", clean)).bindTo(registry);

        await(clean.query(query("a.example.", Type.A)));
        await(clean.query(query("a.example.", Type.A)));

        assertThat(registry.find("dns.upstream.connections").tags("server", fake.tcpUri()).gauge().value()).isEqualTo(1);
        assertThat(count("dns.upstream.connections.opened", "clean", fake.tcpUri())).isEqualTo(1);
    }

    @Test
    void boundFailing_oneWhileEveryBoundServerFails_withTheHealthLine() throws Exception {
        assumeTrue(Epoll.isAvailable(), "binding needs the native epoll transport");
        UpstreamGroup clean = new UpstreamFactory().group(GroupSpec.of("clean",
                List.of(fake.udpUri(), fake.tcpUri())).withBinding("srnone0", 0xca6cL), UpstreamOptions.defaults(transport));
        new UpstreamMeters(Map.of("clean", clean)).bindTo(registry);
        assertThat(registry.find("dns.upstream.bound.failing").tag("upstream", "clean").gauge().value()).isZero();

        Queries.failure(clean.query(query("a.example.", Type.A)));

        assertThat(registry.find("dns.upstream.bound.failing").tag("upstream", "clean").gauge().value()).isEqualTo(1);
        assertThat(clean.boundFailure())
                .isEqualTo("upstream group clean: all servers bound to srnone0 are failing (interface down)");
        assertThat(count("dns.upstream.errors", "clean", fake.tcpUri(), "kind", "interface_down")).isEqualTo(1);
    }

    @Test
    void rebind_runningGroupKeepsItsMeters_replacedGroupsGo() throws Exception {
        UpstreamGroup kept = group("kept", fake.udpUri());
        UpstreamGroup old = group("changed", fake.tcpUri());
        UpstreamMeters meters = new UpstreamMeters(Map.of("kept", kept, "changed", old));
        meters.bindTo(registry);
        await(kept.query(query("a.example.", Type.A)));
        FunctionCounter before = registry.find("dns.upstream.queries").tag("upstream", "kept").functionCounter();

        UpstreamGroup fresh = group("changed", fake.udpUri());
        meters.rebind(Map.of("kept", kept, "changed", fresh));
        await(fresh.query(query("a.example.", Type.A)));

        assertThat(registry.find("dns.upstream.queries").tag("upstream", "kept").functionCounter()).isSameAs(before);
        assertThat(count("dns.upstream.queries", "kept", fake.udpUri())).isEqualTo(1);
        assertThat(registry.find("dns.upstream.queries").tags("upstream", "changed", "server", fake.tcpUri()).meters()).isEmpty();
        assertThat(count("dns.upstream.queries", "changed", fake.udpUri())).isEqualTo(1);
        Timer latency = registry.find("dns.upstream.latency").tags("upstream", "changed").timer();
        assertThat(latency.count()).as("latency recorded into the new group's timer").isEqualTo(1);
    }
}
