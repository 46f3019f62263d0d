package io.splitroute.upstream;

import static io.splitroute.upstream.Queries.addresses;
import static io.splitroute.upstream.Queries.await;
import static io.splitroute.upstream.Queries.failure;
import static io.splitroute.upstream.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.net.NetTransport;
import io.splitroute.testing.FakeUpstream;
import io.splitroute.testing.ReceivedQuery;
import io.splitroute.testing.SpoofMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

class TcpUpstreamTest {

    private static final Duration TIMEOUT = Duration.ofMillis(250);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);
    private static NetTransport transport;

    private final FakeUpstream fake = FakeUpstream.start();

    @BeforeAll
    static void startTransport() {
        transport = NetTransport.create(2);
    }

    @AfterAll
    static void stopTransport() {
        transport.close();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private TcpUpstream tcp(InetSocketAddress server, Duration timeout) {
        return new TcpUpstream(server, UpstreamOptions.defaults(transport).withAttemptTimeout(timeout));
    }

    @Test
    void query_answeredOverTcp() throws Exception {
        fake.answer("a.example.", Type.A, 300, "192.0.2.1");
        TcpUpstream upstream = tcp(fake.address(), ANSWER_TIMEOUT);

        Message reply = await(upstream.query(query("a.example.", Type.A)));

        assertThat(addresses(reply)).containsExactly("192.0.2.1");
        ReceivedQuery sent = fake.received().getFirst();
        assertThat(sent.transport()).isEqualTo(FakeUpstream.Transport.TCP);
        assertThat(reply.getHeader().getID()).isEqualTo(sent.id()).isNotEqualTo(4242);
        assertThat(upstream.name()).isEqualTo("tcp://127.0.0.1:" + fake.port());
    }

    @Test
    void sequentialQueries_reuseOneConnection() throws Exception {
        fake.answer("a.example.", Type.A, 300, "192.0.2.1").answer("b.example.", Type.A, 300, "192.0.2.2");
        TcpUpstream upstream = tcp(fake.address(), ANSWER_TIMEOUT);
        io.netty.channel.EventLoop loop = transport.group().next();

        for (int i = 0; i < 5; i++) {
            String name = i % 2 == 0 ? "a.example." : "b.example.";
            // from one event loop, as the server's handlers do: one connection per loop
            Message reply = await(loop.submit(() -> upstream.query(query(name, Type.A))).get());
            assertThat(addresses(reply)).hasSize(1);
        }

        assertThat(fake.tcpConnections()).isEqualTo(1);
        assertThat(fake.received().stream().map(ReceivedQuery::sourcePort).distinct()).hasSize(1);
        assertThat(fake.received().stream().map(ReceivedQuery::id).distinct()).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void pipelinedQueries_repliesOutOfOrderMatchedById() throws Exception {
        fake.answer("slow.example.", Type.A, 300, "192.0.2.1").delay("slow.example.", Duration.ofMillis(1000))
                .answer("fast.example.", Type.A, 300, "192.0.2.2");
        TcpUpstream upstream = tcp(fake.address(), ANSWER_TIMEOUT);
        io.netty.channel.EventLoop loop = transport.group().next();

        var futures = loop.submit(() -> java.util.List.of(
                upstream.query(query("slow.example.", Type.A)),
                upstream.query(query("fast.example.", Type.A)))).get();

        assertThat(addresses(await(futures.get(1)))).containsExactly("192.0.2.2");
        assertThat(futures.get(0)).isNotDone(); // the fast reply overtook the slow one on the same connection
        assertThat(addresses(await(futures.get(0)))).containsExactly("192.0.2.1");
        assertThat(fake.tcpConnections()).isEqualTo(1);
    }

    @Test
    void moreQueriesThanAConnectionCarries_overflowOnConnectionsOfTheirOwn() throws Exception {
        fake.unknownWildcard(60);
        TcpUpstream upstream = tcp(fake.address(), ANSWER_TIMEOUT);
        io.netty.channel.EventLoop loop = transport.group().next();
        int count = TcpSession.MAX_IN_FLIGHT + 2;

        // all sent in one event-loop task, so none can have been answered before the last is sent
        var futures = loop.submit(() -> java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> upstream.query(query("n" + i + ".example.", Type.A))).toList()).get();

        for (int i = 0; i < count; i++) {
            assertThat(addresses(await(futures.get(i))))
                    .containsExactly(FakeUpstream.wildcardAddress("n" + i + ".example."));
        }
        assertThat(fake.tcpConnections()).isEqualTo(3);
    }

    @Test
    void oneQueryTimingOut_leavesOthersOnTheConnectionAlone() throws Exception {
        fake.silent("quiet.example.").answer("a.example.", Type.A, 300, "192.0.2.1");
        TcpUpstream upstream = tcp(fake.address(), Duration.ofMillis(400));
        io.netty.channel.EventLoop loop = transport.group().next();

        var quiet = loop.submit(() -> upstream.query(query("quiet.example.", Type.A))).get();
        assertThat(failure(quiet).reason()).isEqualTo(UpstreamException.Reason.TIMEOUT);
        Message after = await(loop.submit(() -> upstream.query(query("a.example.", Type.A))).get());

        assertThat(addresses(after)).containsExactly("192.0.2.1");
        assertThat(fake.tcpConnections()).isEqualTo(1);
    }

    @Test
    void serverClosedIdleConnection_nextQueryOpensANewOne() throws Exception {
        fake.answer("a.example.", Type.A, 300, "192.0.2.1");
        TcpUpstream upstream = tcp(fake.address(), ANSWER_TIMEOUT);
        io.netty.channel.EventLoop loop = transport.group().next();
        await(loop.submit(() -> upstream.query(query("a.example.", Type.A))).get());

        fake.closeTcpConnections();
        Message reply = await(loop.submit(() -> upstream.query(query("a.example.", Type.A))).get());

        assertThat(addresses(reply)).containsExactly("192.0.2.1");
        assertThat(fake.tcpConnections()).isEqualTo(2);
    }

    @Test
    void largeAnswer_arrivesWhole() throws Exception {
        fake.largeAnswer("many.example.", 600, 60);

        Message reply = await(tcp(fake.address(), ANSWER_TIMEOUT).query(query("many.example.", Type.A)));

        assertThat(addresses(reply)).hasSize(600);
    }

    @ParameterizedTest
    @EnumSource(value = SpoofMode.class, names = {"WRONG_ID", "WRONG_QUESTION"})
    void mismatchedReplyOnConnection_droppedAndRealReplyAccepted(SpoofMode mode) throws Exception {
        fake.answer("victim.example.", Type.A, 300, "192.0.2.5").spoof("victim.example.", mode);
        TcpUpstream upstream = tcp(fake.address(), ANSWER_TIMEOUT);

        Message reply = await(upstream.query(query("victim.example.", Type.A)));

        assertThat(addresses(reply)).containsExactly("192.0.2.5");
        assertThat(upstream.stats().droppedReplies()).isEqualTo(1);
    }

    @Test
    void connectionRefused_failsUnreachableWithoutWaitingForTimeout() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = (InetSocketAddress) socket.getLocalSocketAddress();
        }
        TcpUpstream upstream = tcp(closed, Duration.ofSeconds(30));

        UpstreamException e = failure(upstream.query(query("a.example.", Type.A)));

        assertThat(e.reason()).isEqualTo(UpstreamException.Reason.UNREACHABLE);
        assertThat(e.getMessage()).contains(upstream.name());
        assertThat(upstream.stats().failures()).isEqualTo(1);
        assertThat(upstream.stats().timeouts()).isZero();
    }

    @Test
    void silentServer_failsWithTimeout() throws Exception {
        fake.silent("quiet.example.");
        TcpUpstream upstream = tcp(fake.address(), TIMEOUT);

        UpstreamException e = failure(upstream.query(query("quiet.example.", Type.A)));

        assertThat(e.reason()).isEqualTo(UpstreamException.Reason.TIMEOUT);
        assertThat(upstream.stats().timeouts()).isEqualTo(1);
        assertThat(fake.queryCount("quiet.example.", Type.A)).isEqualTo(1);
    }
}
