package io.splitroute.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ResourceLeakDetector;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Ticker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The dispatcher and the UDP and TCP handlers on an {@link EmbeddedChannel}, with a lambda for the pipeline:
 * every reply, errors included, is rendered by the encoder and told to the listener; no socket, no server.
 * Netty's leak detector runs PARANOID, and every buffer in and out is checked released ({@code refCnt() == 0}).
 */
class QueryDispatcherTest {
    private static ResourceLeakDetector.Level levelBefore;

    @BeforeAll
    static void paranoidLeakDetection() {
        levelBefore = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterAll
    static void restoreLeakDetection() {
        ResourceLeakDetector.setLevel(levelBefore);
    }

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);

    private final List<Query> pipelineSaw = new ArrayList<>();
    private final List<Resolution> answered = new ArrayList<>();
    private final QueryDispatcher dispatcher = new QueryDispatcher(query -> {
        pipelineSaw.add(query);
        return CompletableFuture.completedFuture(Resolution.error(query, Rcode.NXDOMAIN, Source.UPSTREAM));
    }, new ReplyEncoder(Ticker.SYSTEM));

    QueryDispatcherTest() {
        dispatcher.onCompleted((query, resolution, bytes, nanos) -> answered.add(resolution));
    }

    private Message roundTrip(byte[] wire) throws Exception {
        byte[] bytes = udpBytes(wire);
        return bytes == null ? null : new Message(bytes);
    }

    /** Sends {@code wire} through the UDP handler; returns the reply's bytes, or {@code null} without one. */
    private byte[] udpBytes(byte[] wire) {
        EmbeddedChannel channel = new EmbeddedChannel(new UdpQueryHandler(dispatcher));
        ByteBuf in = Unpooled.directBuffer(wire.length).writeBytes(wire);
        try {
            channel.writeInbound(new DatagramPacket(in, SERVER, CLIENT));
            channel.runPendingTasks();
            channel.checkException();
            assertThat(in.refCnt()).as("received datagram released").isZero();
            DatagramPacket out = channel.readOutbound();
            assertThat((Object) channel.readOutbound()).as("a second reply").isNull();
            if (out == null) {
                return null;
            }
            ByteBuf content = out.content();
            byte[] bytes = new byte[content.readableBytes()];
            content.readBytes(bytes);
            assertThat(out.recipient()).isEqualTo(CLIENT);
            assertThat(out.release()).as("the reply's buffer freed by its last release").isTrue();
            assertThat(content.refCnt()).isZero();
            return bytes;
        } finally {
            assertThat(channel.finishAndReleaseAll()).as("messages left in the channel").isFalse();
        }
    }

    /** Sends {@code wire} length-framed through the TCP pipeline; returns the replies' bytes, frames removed. */
    private List<byte[]> tcpBytes(byte[]... queries) {
        EmbeddedChannel channel = new EmbeddedChannel(
                new TcpQueryHandler(dispatcher, java.util.concurrent.TimeUnit.SECONDS.toNanos(5), 32, new TcpStats())) {
            @Override
            protected java.net.SocketAddress remoteAddress0() {
                return CLIENT; // the handler reads the client's address from the channel, as from a socket
            }
        };
        List<ByteBuf> sent = new ArrayList<>();
        List<byte[]> replies = new ArrayList<>();
        try {
            for (byte[] wire : queries) {
                ByteBuf in = Unpooled.directBuffer(wire.length + 2).writeShort(wire.length).writeBytes(wire);
                sent.add(in);
                channel.writeInbound(in);
            }
            channel.runPendingTasks();
            channel.checkException();
            java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
            for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
                byte[] bytes = new byte[out.readableBytes()];
                out.readBytes(bytes);
                out.release();
                assertThat(out.refCnt()).isZero();
                stream.writeBytes(bytes); // each reply is its length and its bytes
            }
            java.nio.ByteBuffer frames = java.nio.ByteBuffer.wrap(stream.toByteArray());
            while (frames.hasRemaining()) {
                byte[] reply = new byte[Short.toUnsignedInt(frames.getShort())];
                frames.get(reply);
                replies.add(reply);
            }
            assertThat(sent).as("received frames released").allSatisfy(b -> assertThat(b.refCnt()).isZero());
            return replies;
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static Message query(String name) throws Exception {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        m.getHeader().setFlag(Flags.RD);
        return m;
    }

    @Test
    void query_resolvedByThePipelineAndRenderedWithTheClientsId() throws Exception {
        Message q = query("a.example.");

        Message reply = roundTrip(q.toWire());

        assertThat(reply.getHeader().getID()).isEqualTo(q.getHeader().getID());
        assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(pipelineSaw).singleElement().satisfies(p -> assertThat(p.name()).isEqualTo("a.example"));
        assertThat(answered).singleElement().satisfies(r -> assertThat(r.source()).isEqualTo(Source.UPSTREAM));
    }

    @Test
    void cutQuery_formerrThroughTheEncoderAndTheListener_pipelineNotAsked() throws Exception {
        byte[] wire = query("a.example.").toWire();
        byte[] cut = Arrays.copyOf(wire, wire.length - 3);

        Message reply = roundTrip(cut);

        assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(reply.getHeader().getID()).isEqualTo(((cut[0] & 0xff) << 8) | (cut[1] & 0xff));
        assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(pipelineSaw).isEmpty();
        assertThat(answered).singleElement().satisfies(r -> {
            assertThat(r.rcode()).isEqualTo(Rcode.FORMERR);
            assertThat(r.source()).isEqualTo(Source.LOCAL);
        });
        assertThat(dispatcher.malformed()).isEqualTo(1);
        assertThat(dispatcher.malformed(Malformed.RECORD_LENGTH)).isEqualTo(1);
        assertThat(dispatcher.inFlight()).isZero();
    }

    @Test
    void notify_notimpWithTheQuestionEchoed() throws Exception {
        Message notify = query("a.example.");
        notify.getHeader().setOpcode(Opcode.NOTIFY);

        Message reply = roundTrip(notify.toWire());

        assertThat(reply.getRcode()).isEqualTo(Rcode.NOTIMP);
        assertThat(reply.getQuestion()).isEqualTo(notify.getQuestion());
        assertThat(answered).singleElement().satisfies(r -> assertThat(r.rcode()).isEqualTo(Rcode.NOTIMP));
    }

    @Test
    void responseOrShortMessage_droppedUnansweredAndCounted() throws Exception {
        Message response = query("a.example.");
        response.getHeader().setFlag(Flags.QR);

        assertThat(roundTrip(response.toWire())).isNull();
        assertThat(roundTrip(new byte[] {1, 2, 3})).isNull();
        assertThat(dispatcher.dropped()).isEqualTo(2);
        assertThat(answered).isEmpty();
    }

    @Test
    void ednsVersion1_badversThroughTheEncoderAndTheListener_pipelineNotAsked() throws Exception {
        Message q = query("a.example.");
        q.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);

        Message reply = roundTrip(q.toWire());

        assertThat(reply.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(reply.getOPT().getVersion()).isZero();
        assertThat(pipelineSaw).isEmpty();
        assertThat(answered).singleElement().satisfies(r -> assertThat(r.rcode()).isEqualTo(Rcode.BADVERS));
        assertThat(dispatcher.malformed()).as("BADVERS is no malformed message").isZero();
    }

    @Test
    void udpReply_overTheCap_truncatedWithTc() throws Exception {
        QueryDispatcher big = new QueryDispatcher(query -> CompletableFuture.completedFuture(
                new Resolution(hundredAddresses(query.message()), Source.UPSTREAM, null, "auth", null)),
                new ReplyEncoder(Ticker.SYSTEM));
        Message q = query("big.example.");
        q.addRecord(new OPTRecord(65535, 0, 0), Section.ADDITIONAL);
        List<byte[]> sent = new ArrayList<>();

        big.dispatch(q.toWire(), CLIENT, io.splitroute.query.Transport.UDP, sent::add);

        assertThat(sent).singleElement().satisfies(bytes -> {
            assertThat(bytes.length).isLessThanOrEqualTo(1232);
            assertThat(new Message(bytes).getHeader().getFlag(Flags.TC)).isTrue();
        });
    }

    private static Message hundredAddresses(Message query) {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.addRecord(query.getQuestion(), Section.QUESTION);
        for (int i = 0; i < 100; i++) {
            reply.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60,
                    java.net.InetAddress.ofLiteral("198.51.100." + i)), Section.ANSWER);
        }
        return reply;
    }

    @Test
    void tcp_pipelinedQueriesAnsweredInFrames_malformedOneFormerr_buffersReleased() throws Exception {
        byte[] first = query("a.example.").toWire();
        byte[] cut = Arrays.copyOf(query("b.example.").toWire(), 20);

        List<byte[]> replies = tcpBytes(first, cut);

        assertThat(replies).hasSize(2);
        assertThat(new Message(replies.get(0)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(new Message(replies.get(1)).getRcode()).isEqualTo(Rcode.FORMERR);
    }
}
