package io.splitroute.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * A route whose upstream group is bound to an interface that is not there (a tunnel that is down): its names
 * get SERVFAIL at once, never an answer from the default group; {@code /healthz} and
 * {@code dns.upstream.bound.failing} say so.
 */
class BoundUpstreamHealthIT {
    private FakeUpstream isp;
    private RunningResolver resolver;
    private AdminClient admin;
    private String tunnel;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Epoll.isAvailable(), "binding sockets to an interface needs the native epoll transport");
        tunnel = "srdown" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        isp = FakeUpstream.start().answer("www.blocked.example.", Type.A, 300, FakeUpstream.POISON_ADDRESS)
                .answer("open.example.", Type.A, 300, "192.0.2.30");
        int adminPort = RunningResolver.freePort();
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                admin: { listen: "127.0.0.1:%d" }
                upstreams:
                  isp: ["%s"]
                  clean: { servers: ["udp://127.0.0.1:9", "tcp://127.0.0.1:9"], interface: %s }
                routes: [{ name: tunnel, domains: [blocked.example], upstream: clean }]
                default-upstream: isp
                upstream-timeout: 3s
                """.formatted(adminPort, isp.udpUri(), tunnel));
        admin = new AdminClient("127.0.0.1:" + adminPort);
    }

    @AfterEach
    void stop() {
        if (resolver != null) {
            resolver.close();
        }
        if (isp != null) {
            isp.close();
        }
    }

    @Test
    void boundGroupDown_servfailAtOnce_noOtherUpstreamAsked_healthAndMetricSaySo() throws Exception {
        assertThat(admin.get("/healthz").status()).as("before any query").isEqualTo(200);
        // A cold JVM on a loaded machine: the first queries load classes (seconds); time a later one.
        assertThat(warm("open.example").getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(warm("first.blocked.example").getRcode()).isEqualTo(Rcode.SERVFAIL);
        long start = System.nanoTime();

        Message reply = resolver.client().udp("www.blocked.example", Type.A);

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(millis).as("ms to SERVFAIL; the attempt timeout is 3000").isLessThan(1000);
        assertThat(isp.queryCount()).as("queries the default group got (open.example only)").isEqualTo(1);
        AdminClient.Answer health = admin.get("/healthz");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.body()).contains("upstream group clean: all servers bound to " + tunnel
                + " are failing (interface down)");
        assertThat(admin.awaitMetric("dns_upstream_bound_failing{upstream=\"clean\"} 1.0").lines())
                .contains("dns_upstream_bound_failing{upstream=\"clean\"} 1.0",
                        "dns_upstream_bound_failing{upstream=\"isp\"} 0.0",
                        "dns_upstream_errors_total{kind=\"interface_down\",server=\"udp://127.0.0.1:9\",upstream=\"clean\"} 2.0");
    }

    private Message warm(String name) throws Exception {
        byte[] reply = resolver.client().udpRaw(DnsClient.query(name, Type.A, 1232).toWire(), 15_000);
        assertThat(reply).as("a reply to %s", name).isNotNull();
        return new Message(reply);
    }
}
