package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import io.splitroute.testing.SpoofMode;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Through the whole server: failover, TCP retry on TC, SERVFAIL on dead upstreams, spoofed replies ignored. */
class UpstreamForwarderIT {

    @Test
    void failover_silentFirstServerThenSecondAnswers() throws Exception {
        try (DatagramSocket blackHole = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             FakeUpstream upstream = FakeUpstream.start().answer("a.example.", Type.A, 300, "192.0.2.1");
             RunningResolver resolver = RunningResolver.start("""
                     listen: ["${listen}"]
                     upstreams: { isp: ["udp://127.0.0.1:%d", "%s"] }
                     upstream-timeout: 300ms
                     """.formatted(blackHole.getLocalPort(), upstream.udpUri()))) {
            Message reply = resolver.client().udp("a.example", Type.A);

            assertThat(DnsClient.firstAddress(reply)).isEqualTo("192.0.2.1");
        }
    }

    @Test
    void truncatedUpstreamReply_retriedOverTcp() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().answer("tc.example.", Type.A, 300, "192.0.2.7").truncateUdp("tc.example.");
             RunningResolver resolver = RunningResolver.start("""
                     listen: ["${listen}"]
                     upstreams: { isp: ["%s"] }
                     """.formatted(upstream.udpUri()))) {
            Message reply = resolver.client().udp("tc.example", Type.A);

            assertThat(DnsClient.firstAddress(reply)).isEqualTo("192.0.2.7");
            assertThat(upstream.received("tc.example", Type.A))
                    .anyMatch(q -> q.transport() == FakeUpstream.Transport.TCP);
        }
    }

    @Test
    void deadUpstream_servfailWithinTimeout() throws Exception {
        try (DatagramSocket blackHole = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             RunningResolver resolver = RunningResolver.start("""
                     listen: ["${listen}"]
                     upstreams: { isp: ["udp://127.0.0.1:%d"] }
                     upstream-timeout: 300ms
                     """.formatted(blackHole.getLocalPort()))) {
            long start = System.nanoTime();
            Message reply = resolver.client().udp("a.example", Type.A);
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
            assertThat(millis).as("SERVFAIL arrives before the client's own 3 s timeout").isLessThan(2500);
        }
    }

    @Test
    void spoofedReplies_ignoredAndTrueAnswerServed() throws Exception {
        for (SpoofMode mode : SpoofMode.values()) {
            try (FakeUpstream upstream = FakeUpstream.start().answer("victim.example.", Type.A, 300, "192.0.2.8")
                         .spoof("victim.example.", mode);
                 RunningResolver resolver = RunningResolver.start("""
                         listen: ["${listen}"]
                         upstreams: { isp: ["%s"] }
                         """.formatted(upstream.udpUri()))) {
                Message reply = resolver.client().udp("victim.example", Type.A);
                Message cached = resolver.client().udp("victim.example", Type.A);

                assertThat(DnsClient.firstAddress(reply)).as(mode.name()).isEqualTo("192.0.2.8");
                assertThat(DnsClient.firstAddress(cached)).as(mode + " cached").isEqualTo("192.0.2.8");
            }
        }
    }

    @Test
    void onlySpoofedReplies_servfailNotPoison() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().answer("victim.example.", Type.A, 300, "192.0.2.8")
                     .spoofOnly("victim.example.", SpoofMode.WRONG_ID);
             RunningResolver resolver = RunningResolver.start("""
                     listen: ["${listen}"]
                     upstreams: { isp: ["%s"] }
                     upstream-timeout: 300ms
                     """.formatted(upstream.udpUri()))) {
            Message reply = resolver.client().udp("victim.example", Type.A);

            assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
            assertThat(reply.getSection(Section.ANSWER)).isEmpty();
        }
    }
}
