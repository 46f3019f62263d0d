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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class UdpUpstreamTest {

    /** For tests that expect a timeout: short, to keep the suite fast. */
    private static final Duration TIMEOUT = Duration.ofMillis(250);
    /** For tests that expect an answer: generous, so a cold JVM or a loaded machine cannot fail them. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);
    private static NetTransport transport;

    private final FakeUpstream fake = FakeUpstream.start();
    private UdpUpstream upstream;

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

    private UdpUpstream upstream() {
        return upstream(ANSWER_TIMEOUT);
    }

    private UdpUpstream upstream(Duration timeout) {
        if (upstream == null) {
            upstream = new UdpUpstream(fake.address(),
                    UpstreamOptions.defaults(transport).withAttemptTimeout(timeout));
        }
        return upstream;
    }

    @Test
    void query_returnsServerAnswerUnderUpstreamId() throws Exception {
        fake.answer("a.example.", Type.A, 300, "192.0.2.1");

        Message reply = await(upstream().query(query("a.example.", Type.A)));

        assertThat(addresses(reply)).containsExactly("192.0.2.1");
        ReceivedQuery sent = fake.received().getFirst();
        assertThat(reply.getHeader().getID()).isEqualTo(sent.id());
        assertThat(sent.transport()).isEqualTo(FakeUpstream.Transport.UDP);
        assertThat(upstream().name()).isEqualTo("udp://127.0.0.1:" + fake.port());
        assertThat(upstream().stats().queries()).isEqualTo(1);
    }

    @Test
    void query_randomIdAndSourcePortForEveryQuery() throws Exception {
        fake.answer("a.example.", Type.A, 300, "192.0.2.1");

        for (int i = 0; i < 20; i++) {
            await(upstream().query(query("a.example.", Type.A)));
        }

        List<ReceivedQuery> received = fake.received();
        assertThat(received).hasSize(20);
        // 20 draws from 65536 IDs and ~28000 ports: a repeat or two is possible by chance, a pattern is not.
        assertThat(received.stream().map(ReceivedQuery::id).distinct().count()).isGreaterThanOrEqualTo(18);
        assertThat(received.stream().map(ReceivedQuery::sourcePort).distinct().count()).isGreaterThanOrEqualTo(18);
        assertThat(received).noneMatch(q -> q.id() == 4242);
    }

    @Test
    void query_keepsQuestionFlagsAndEdnsButNotClientId() throws Exception {
        fake.answer("Mixed.Example.", Type.AAAA, 300, "2001:db8::1");
        Message client = query("mIXed.example.", Type.AAAA);
        client.getHeader().unsetFlag(Flags.RD);
        client.getHeader().setFlag(Flags.CD);
        client.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);

        Message reply = await(upstream().query(client));

        ReceivedQuery sent = fake.received().getFirst();
        assertThat(sent.name().toString()).isEqualTo("mIXed.example.");
        assertThat(sent.type()).isEqualTo(Type.AAAA);
        assertThat(sent.recursionDesired()).isFalse();
        assertThat(sent.checkingDisabled()).isTrue();
        assertThat(sent.dnssecOk()).isTrue();
        assertThat(sent.ednsPayloadSize()).isEqualTo(1232);
        assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
        assertThat(client.getHeader().getID()).as("client's message untouched").isEqualTo(4242);
    }

    @Test
    void query_capsEdnsPayloadAt1232() throws Exception {
        Message client = query("nx.example.", Type.A);
        client.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);

        await(upstream().query(client));

        assertThat(fake.received().getFirst().ednsPayloadSize()).isEqualTo(1232);
    }

    @Test
    void truncatedReply_retriedOverTcpToSameServer() throws Exception {
        fake.answer("big.example.", Type.A, 300, "192.0.2.9").truncateUdp("big.example.");

        Message reply = await(upstream().query(query("big.example.", Type.A)));

        assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(addresses(reply)).containsExactly("192.0.2.9");
        assertThat(fake.received()).extracting(ReceivedQuery::transport)
                .containsExactly(FakeUpstream.Transport.UDP, FakeUpstream.Transport.TCP);
        assertThat(upstream().stats().tcRetries()).isEqualTo(1);
        assertThat(upstream().stats().queries()).isEqualTo(1);
    }

    @Test
    void answerTooBigForUdp_arrivesWholeOverTcp() throws Exception {
        fake.largeAnswer("many.example.", 150, 60);
        Message client = query("many.example.", Type.A);
        client.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);

        Message reply = await(upstream().query(client));

        assertThat(addresses(reply)).hasSize(150);
        assertThat(fake.queryCount("many.example.", Type.A)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(SpoofMode.class)
    void spoofedReply_droppedAndRealReplyAccepted(SpoofMode mode) throws Exception {
        fake.answer("victim.example.", Type.A, 300, "192.0.2.5").spoof("victim.example.", mode);

        Message reply = await(upstream().query(query("victim.example.", Type.A)));

        assertThat(addresses(reply)).containsExactly("192.0.2.5").doesNotContain(FakeUpstream.POISON_ADDRESS);
        assertThat(upstream().stats().droppedReplies()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SpoofMode.class)
    void spoofedReplyAlone_neverAcceptedQueryTimesOut(SpoofMode mode) throws Exception {
        fake.spoofOnly("victim.example.", mode);

        UpstreamException e = failure(upstream(TIMEOUT).query(query("victim.example.", Type.A)));

        assertThat(e.reason()).isEqualTo(UpstreamException.Reason.TIMEOUT);
        assertThat(upstream().stats().droppedReplies()).isEqualTo(1);
        assertThat(upstream().stats().timeouts()).isEqualTo(1);
    }

    @Test
    void silentServer_failsWithTimeoutAfterAttemptTimeout() throws Exception {
        fake.silent("quiet.example.");
        long start = System.nanoTime();

        UpstreamException e = failure(upstream(TIMEOUT).query(query("quiet.example.", Type.A)));

        assertThat(e.reason()).isEqualTo(UpstreamException.Reason.TIMEOUT);
        assertThat(e.getMessage()).contains(upstream().name()).contains("250 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT);
        assertThat(upstream().stats().failures()).isEqualTo(1);
    }

    @Test
    void queryWithoutQuestion_failsAsInvalid() throws Exception {
        UpstreamException e = failure(upstream().query(new Message()));

        assertThat(e.reason()).isEqualTo(UpstreamException.Reason.INVALID_QUERY);
        assertThat(fake.queryCount()).isZero();
    }

    @Test
    void queryFromEventLoopThread_staysOnThatLoopAndIsAnswered() throws Exception {
        fake.answer("a.example.", Type.A, 300, "192.0.2.1").truncateUdp("a.example.");
        io.netty.channel.EventLoop loop = transport.group().next();
        List<Boolean> completedOnCallerLoop = new java.util.concurrent.CopyOnWriteArrayList<>();

        CompletableFuture<Message> reply = loop.submit(() -> upstream().query(query("a.example.", Type.A))
                .whenComplete((r, e) -> completedOnCallerLoop.add(loop.inEventLoop())))
                .get(Queries.HANG_SECONDS, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(addresses(await(reply))).containsExactly("192.0.2.1");
        assertThat(completedOnCallerLoop).containsExactly(true);
    }

    @Test
    void transportShutDown_failsTheFutureInsteadOfThrowing() throws Exception {
        NetTransport closed = NetTransport.nio(1);
        closed.close();
        UdpUpstream upstream = new UdpUpstream(fake.address(), UpstreamOptions.defaults(closed));

        UpstreamException e = failure(upstream.query(query("a.example.", Type.A)));

        assertThat(e.reason()).isEqualTo(UpstreamException.Reason.UNREACHABLE);
    }

    @Test
    void concurrentQueries_eachGetsItsOwnAnswer() throws Exception {
        List<CompletableFuture<Message>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fake.answer("n" + i + ".example.", Type.A, 60, "198.51.100." + (i + 1));
        }
        for (int i = 0; i < 50; i++) {
            futures.add(upstream().query(query("n" + i + ".example.", Type.A)));
        }

        for (int i = 0; i < 50; i++) {
            assertThat(addresses(await(futures.get(i)))).containsExactly("198.51.100." + (i + 1));
        }
    }

    @Test
    void latencyHook_receivesOneSamplePerAnsweredQuery() throws Exception {
        List<Long> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        upstream().stats().onLatency(samples::add);

        await(upstream().query(query("a.example.", Type.A)));

        // The sample is taken by a completion of the same future, which may run just after the caller's.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (samples.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(samples).hasSize(1).allMatch(nanos -> nanos > 0);
    }
}
