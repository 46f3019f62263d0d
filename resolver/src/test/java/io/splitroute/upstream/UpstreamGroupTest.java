package io.splitroute.upstream;

import static io.splitroute.upstream.Queries.addresses;
import static io.splitroute.upstream.Queries.await;
import static io.splitroute.upstream.Queries.failure;
import static io.splitroute.upstream.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitroute.net.NetTransport;
import io.splitroute.testing.FakeUpstream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class UpstreamGroupTest {

    /** For servers expected to fail: short, to keep the suite fast. */
    private static final Duration TIMEOUT = Duration.ofMillis(250);
    /** For servers expected to answer: generous, so a cold JVM or a loaded machine cannot fail the test. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);
    private static NetTransport transport;

    private final FakeUpstream first = FakeUpstream.start();
    private final FakeUpstream second = FakeUpstream.start();
    private DatagramSocket blackHole;

    @BeforeAll
    static void startTransport() {
        transport = NetTransport.create(2);
    }

    @AfterAll
    static void stopTransport() {
        transport.close();
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        if (blackHole != null) {
            blackHole.close();
        }
    }

    private static UpstreamOptions options(Duration timeout) {
        return UpstreamOptions.defaults(transport).withAttemptTimeout(timeout);
    }

    /** A UDP upstream expected to answer. */
    private static UdpUpstream udp(InetSocketAddress address) {
        return new UdpUpstream(address, options(ANSWER_TIMEOUT));
    }

    /** A UDP upstream expected to time out. */
    private static UdpUpstream deadUdp(InetSocketAddress address) {
        return new UdpUpstream(address, options(TIMEOUT));
    }

    /** A bound UDP socket nobody reads: datagrams vanish, like a server that is down behind a firewall. */
    private InetSocketAddress blackHole() throws Exception {
        blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        return (InetSocketAddress) blackHole.getLocalSocketAddress();
    }

    /** A loopback port with nothing listening (bound, then released). */
    private static InetSocketAddress closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }
    }

    @Test
    void firstServerSilent_answerComesFromSecond() throws Exception {
        second.answer("a.example.", Type.A, 300, "192.0.2.2");
        UdpUpstream dead = deadUdp(blackHole());
        UpstreamGroup group = new UpstreamGroup("clean", List.of(dead, udp(second.address())));

        Message reply = await(group.query(query("a.example.", Type.A)));

        assertThat(addresses(reply)).containsExactly("192.0.2.2");
        assertThat(dead.stats().timeouts()).isEqualTo(1);
    }

    @Test
    void firstServerClosedPort_answerComesFromSecond() throws Exception {
        second.answer("a.example.", Type.A, 300, "192.0.2.2");
        UpstreamGroup group = new UpstreamGroup("clean", List.of(deadUdp(closedPort()), udp(second.address())));

        assertThat(addresses(await(group.query(query("a.example.", Type.A))))).containsExactly("192.0.2.2");
    }

    @Test
    void firstServerServfail_answerComesFromSecond() throws Exception {
        first.servfail("a.example.");
        second.answer("a.example.", Type.A, 300, "192.0.2.2");
        UdpUpstream failing = udp(first.address());
        UpstreamGroup group = new UpstreamGroup("clean", List.of(failing, udp(second.address())));

        Message reply = await(group.query(query("a.example.", Type.A)));

        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(reply)).containsExactly("192.0.2.2");
        assertThat(failing.stats().errorReplies()).isEqualTo(1);
    }

    @Test
    void firstServerRefused_answerComesFromSecond() throws Exception {
        first.refused("a.example.");
        second.answer("a.example.", Type.A, 300, "192.0.2.2");
        UpstreamGroup group = new UpstreamGroup("clean", List.of(udp(first.address()), udp(second.address())));

        assertThat(addresses(await(group.query(query("a.example.", Type.A))))).containsExactly("192.0.2.2");
    }

    @Test
    void nxdomain_isAnAnswerNotAFailure() throws Exception {
        first.nxdomain("nx.example.", 600);
        UpstreamGroup group = new UpstreamGroup("clean", List.of(udp(first.address()), udp(second.address())));

        Message reply = await(group.query(query("nx.example.", Type.A)));

        assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(second.queryCount()).isZero();
    }

    @Test
    void everyServerServfails_lastServfailReturned() throws Exception {
        first.servfail("a.example.");
        second.refused("a.example.");
        UpstreamGroup group = new UpstreamGroup("clean", List.of(udp(second.address()), udp(first.address())));

        Message reply = await(group.query(query("a.example.", Type.A)));

        assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(first.queryCount()).isEqualTo(1);
        assertThat(second.queryCount()).isEqualTo(1);
    }

    @Test
    void healthyFirstServer_alwaysAskedFirstInConfiguredOrder() throws Exception {
        first.answer("a.example.", Type.A, 300, "192.0.2.1");
        second.answer("a.example.", Type.A, 300, "192.0.2.2");
        UpstreamGroup group = new UpstreamGroup("clean", List.of(udp(first.address()), udp(second.address())));

        for (int i = 0; i < 5; i++) {
            assertThat(addresses(await(group.query(query("a.example.", Type.A))))).containsExactly("192.0.2.1");
        }
        assertThat(second.queryCount()).isZero();
    }

    @Test
    void allServersDead_failsWithinTheirTimeouts() throws Exception {
        UpstreamGroup group = new UpstreamGroup("clean",
                List.of(deadUdp(blackHole()), new TcpUpstream(closedPort(), options(TIMEOUT))));
        long start = System.nanoTime();

        UpstreamException e = failure(group.query(query("a.example.", Type.A)));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(e.reason()).isEqualTo(UpstreamException.Reason.ALL_FAILED);
        assertThat(e.upstream()).isEqualTo("clean");
        assertThat(e.getSuppressed()).extracting(t -> ((UpstreamException) t).reason())
                .containsExactly(UpstreamException.Reason.TIMEOUT, UpstreamException.Reason.UNREACHABLE);
        assertThat(took).isGreaterThanOrEqualTo(TIMEOUT); // the silent server got its full attempt
    }

    @Test
    void mixedUdpAndTcpServers_tcpServerAnswers() throws Exception {
        second.answer("a.example.", Type.A, 300, "192.0.2.2");
        UpstreamGroup group = new UpstreamGroup("clean",
                List.of(deadUdp(blackHole()), new TcpUpstream(second.address(), options(ANSWER_TIMEOUT))));

        assertThat(addresses(await(group.query(query("a.example.", Type.A))))).containsExactly("192.0.2.2");
        assertThat(second.received().getFirst().transport()).isEqualTo(FakeUpstream.Transport.TCP);
    }

    @Test
    void stats_perServerInOrder() throws Exception {
        UpstreamGroup group = new UpstreamGroup("clean", List.of(udp(first.address()), udp(second.address())));

        await(group.query(query("nx.example.", Type.A)));

        assertThat(group.stats().keySet()).containsExactly("udp://127.0.0.1:" + first.port(),
                "udp://127.0.0.1:" + second.port());
        assertThat(group.stats().values()).extracting(UpstreamStats::queries).containsExactly(1L, 0L);
    }

    @Test
    void emptyGroup_rejected() {
        assertThatThrownBy(() -> new UpstreamGroup("clean", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clean");
    }
}
