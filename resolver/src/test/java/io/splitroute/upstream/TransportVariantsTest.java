package io.splitroute.upstream;

import static io.splitroute.upstream.Queries.addresses;
import static io.splitroute.upstream.Queries.await;
import static io.splitroute.upstream.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.net.NetTransport;
import io.splitroute.testing.FakeUpstream;
import io.splitroute.testing.ReceivedQuery;
import io.splitroute.testing.SpoofMode;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * The source checks on both transports (epoll sockets are dual-stack, NIO ones differ) and both address
 * families: an IPv4 reply must still match when it arrives as an IPv4-mapped IPv6 address, and vice versa.
 */
class TransportVariantsTest {

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);

    static Stream<Arguments> variants() {
        IntFunction<NetTransport> best = NetTransport::create;
        IntFunction<NetTransport> nio = NetTransport::nio;
        return Stream.of(
                Arguments.of("best", best, "127.0.0.1"),
                Arguments.of("nio", nio, "127.0.0.1"),
                Arguments.of("best", best, "::1"),
                Arguments.of("nio", nio, "::1"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("variants")
    void udpAnswerSpoofAndTcpRetry_onEveryTransportAndFamily(String label, IntFunction<NetTransport> create,
            String loopback) throws Exception {
        InetAddress address = InetAddress.ofLiteral(loopback);
        assumeTrue(address.getAddress().length == 4 || hasIpv6Loopback(), "no ::1 on this machine");
        try (NetTransport transport = create.apply(1); FakeUpstream fake = FakeUpstream.start(address)) {
            fake.answer("a.example.", Type.A, 300, "192.0.2.1")
                    .answer("victim.example.", Type.A, 300, "192.0.2.5")
                    .spoof("victim.example.", SpoofMode.WRONG_SOURCE_PORT)
                    .answer("big.example.", Type.A, 300, "192.0.2.9").truncateUdp("big.example.");
            UdpUpstream upstream = new UdpUpstream(fake.address(),
                    UpstreamOptions.defaults(transport).withAttemptTimeout(ANSWER_TIMEOUT));

            Message plain = await(upstream.query(query("a.example.", Type.A)));
            Message spoofed = await(upstream.query(query("victim.example.", Type.A)));
            Message truncated = await(upstream.query(query("big.example.", Type.A)));

            assertThat(addresses(plain)).containsExactly("192.0.2.1");
            assertThat(addresses(spoofed)).containsExactly("192.0.2.5");
            assertThat(addresses(truncated)).containsExactly("192.0.2.9");
            assertThat(upstream.stats().droppedReplies()).isEqualTo(1);
            assertThat(fake.received("big.example.", Type.A)).extracting(ReceivedQuery::transport)
                    .containsExactly(FakeUpstream.Transport.UDP, FakeUpstream.Transport.TCP);
        }
    }

    private static boolean hasIpv6Loopback() throws java.net.SocketException {
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.ofLiteral("::1"));
        return lo != null;
    }
}
