package io.splitroute.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Ticker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The dispatcher and the UDP handler on an {@link EmbeddedChannel}, with a lambda for the pipeline: every reply,
 * errors included, is rendered by the encoder and told to the listener; no socket, no server.
 */
class QueryDispatcherTest {
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
        EmbeddedChannel channel = new EmbeddedChannel(new UdpQueryHandler(dispatcher));
        try {
            channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(wire), SERVER, CLIENT));
            channel.runPendingTasks();
            channel.checkException();
            DatagramPacket out = channel.readOutbound();
            if (out == null) {
                return null;
            }
            ByteBuf content = out.content();
            byte[] bytes = new byte[content.readableBytes()];
            content.readBytes(bytes);
            out.release();
            assertThat(out.recipient()).isEqualTo(CLIENT);
            return new Message(bytes);
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
}
