package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Clients outside the ACL get REFUSED and never reach an upstream. */
class AccessControlIT {

    @Test
    void outsideAcl_refused() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().answer("a.example.", Type.A, 300, "192.0.2.1");
             RunningResolver resolver = RunningResolver.start("""
                     listen: ["${listen}"]
                     upstreams: { isp: ["%s"] }
                     acl: ["10.0.0.0/8", "192.168.0.0/16"]
                     """.formatted(upstream.udpUri()))) {
            Message reply = resolver.client().udp("a.example", Type.A);

            assertThat(reply.getRcode()).isEqualTo(Rcode.REFUSED);
            assertThat(upstream.queryCount()).isZero();
        }
    }

    @Test
    void defaultAcl_loopbackAnswered() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().answer("a.example.", Type.A, 300, "192.0.2.1");
             RunningResolver resolver = RunningResolver.start("""
                     listen: ["${listen}"]
                     upstreams: { isp: ["%s"] }
                     """.formatted(upstream.udpUri()))) {
            assertThat(DnsClient.firstAddress(resolver.client().udp("a.example", Type.A))).isEqualTo("192.0.2.1");
        }
    }
}
