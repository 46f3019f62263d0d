package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Forwarding per route: listed names go to their route's upstream, the rest to the default. */
class ListRouterIT {
    private FakeUpstream isp;
    private FakeUpstream clean;
    private FakeUpstream other;
    private RunningResolver resolver;

    @BeforeEach
    void start() throws Exception {
        isp = FakeUpstream.start().answer("blocked.example.", Type.A, 300, "203.0.113.9")
                .answer("news.test.", Type.A, 300, "198.51.100.1");
        clean = FakeUpstream.start().answer("blocked.example.", Type.A, 300, "192.0.2.10")
                .answer("www.blocked.example.", Type.A, 300, "192.0.2.11");
        other = FakeUpstream.start().answer("cdn.www.blocked.example.", Type.A, 300, "192.0.2.12");
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                upstreams:
                  isp: ["%s"]
                  clean: ["%s"]
                  other: ["%s"]
                routes:
                  - name: tunnel
                    domains: [blocked.example]
                    upstream: clean
                  - name: special
                    domains: [CDN.www.Blocked.Example.]
                    upstream: other
                default-upstream: isp
                """.formatted(isp.udpUri(), clean.udpUri(), other.udpUri()));
    }

    @AfterEach
    void stop() {
        resolver.close();
        isp.close();
        clean.close();
        other.close();
    }

    @Test
    void route_listedNameGoesToItsUpstream() throws Exception {
        Message reply = resolver.client().udp("blocked.example", Type.A);

        assertThat(DnsClient.firstAddress(reply)).isEqualTo("192.0.2.10");
        assertThat(clean.queryCount("blocked.example", Type.A)).isEqualTo(1);
        assertThat(isp.queryCount()).isZero();
    }

    @Test
    void route_subdomainOfListedSuffix() throws Exception {
        Message reply = resolver.client().udp("WWW.blocked.example", Type.A);

        assertThat(DnsClient.firstAddress(reply)).isEqualTo("192.0.2.11");
        assertThat(isp.queryCount()).isZero();
    }

    @Test
    void route_mostSpecificRuleWins() throws Exception {
        Message reply = resolver.client().udp("cdn.www.blocked.example", Type.A);

        assertThat(DnsClient.firstAddress(reply)).isEqualTo("192.0.2.12");
        assertThat(clean.queryCount()).isZero();
    }

    @Test
    void route_unlistedNameGoesToDefault() throws Exception {
        Message reply = resolver.client().udp("news.test", Type.A);

        assertThat(DnsClient.firstAddress(reply)).isEqualTo("198.51.100.1");
        assertThat(clean.queryCount()).isZero();
    }

    @Test
    void route_labelBoundaryRespected() throws Exception {
        Message reply = resolver.client().udp("notblocked.example", Type.A);

        assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(isp.queryCount("notblocked.example", Type.A)).isEqualTo(1);
        assertThat(clean.queryCount()).isZero();
    }

}
