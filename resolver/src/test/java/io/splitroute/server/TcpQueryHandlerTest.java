package io.splitroute.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Ticker;
import io.splitroute.support.DnsClient;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The TCP connection handler on an {@link EmbeddedChannel} with a lambda pipeline and frozen time: the frame
 * deadline, the bound on queries in flight (a reply not yet written counts), and back-pressure while the client
 * does not take its replies.
 */
class TcpQueryHandlerTest {
    private static final long FRAME_TIMEOUT_MILLIS = 5_000;
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    private final List<Query> pipelineSaw = new ArrayList<>();
    private final QueryDispatcher dispatcher = new QueryDispatcher(query -> {
        pipelineSaw.add(query);
        return CompletableFuture.completedFuture(Resolution.error(query, Rcode.NXDOMAIN, Source.UPSTREAM));
    }, new ReplyEncoder(Ticker.SYSTEM));
    private final TcpStats stats = new TcpStats();
    private final HeldFlushes socket = new HeldFlushes();
    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private EmbeddedChannel channel(int maxInflight) {
        channel = new EmbeddedChannel(socket,
                new TcpQueryHandler(dispatcher, TimeUnit.MILLISECONDS.toNanos(FRAME_TIMEOUT_MILLIS), maxInflight, stats)) {
            @Override
            protected SocketAddress remoteAddress0() {
                return CLIENT;
            }
        };
        channel.freezeTime();
        return channel;
    }

    @Test
    void frameDeadline_incompleteQueryClosesTheConnectionAtTheDeadline() {
        channel(8);
        byte[] query = framed(1);
        channel.writeInbound(Unpooled.wrappedBuffer(query, 0, 5));
        channel.advanceTimeBy(FRAME_TIMEOUT_MILLIS - 1, TimeUnit.MILLISECONDS);
        channel.writeInbound(Unpooled.wrappedBuffer(query, 5, 5)); // more bytes do not move the deadline
        channel.runScheduledPendingTasks();
        assertThat(channel.isActive()).isTrue();

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isActive()).isFalse();
        assertThat(stats.frameTimeouts()).isEqualTo(1);
        assertThat(pipelineSaw).isEmpty();
    }

    @Test
    void frameDeadline_queriesArrivingWholeNeverTimeOut() {
        channel(8);
        for (int i = 0; i < 3; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(framed(i)));
            channel.advanceTimeBy(FRAME_TIMEOUT_MILLIS * 2, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }

        assertThat(channel.isActive()).isTrue();
        assertThat(pipelineSaw).hasSize(3);
        assertThat(stats.frameTimeouts()).isZero();
    }

    @Test
    void inflight_repliesNotWrittenHoldTheBoundAndStopReading() {
        channel(4);
        socket.hold = true;
        channel.writeInbound(frames(10));

        assertThat(pipelineSaw).as("dispatched while 4 replies wait to be written").hasSize(4);
        assertThat(channel.config().isAutoRead()).isFalse();

        socket.hold = false;
        channel.flush();
        channel.runPendingTasks();

        assertThat(pipelineSaw).hasSize(10);
        assertThat(replies()).hasSize(10);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(stats.paused()).isPositive();
    }

    @Test
    void notWritable_stopsReadingUntilTheClientTakesItsReplies() {
        channel(100);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(64, 128));
        socket.hold = true;
        channel.writeInbound(frames(5)); // five replies of about 40 bytes pass the 128-byte mark

        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();

        socket.hold = false;
        channel.flush();
        channel.runPendingTasks();

        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(replies()).hasSize(5);
    }

    private List<Message> replies() {
        List<Message> out = new ArrayList<>();
        for (ByteBuf reply; (reply = channel.readOutbound()) != null; ) {
            byte[] wire = new byte[reply.readUnsignedShort()];
            reply.readBytes(wire);
            reply.release();
            try {
                out.add(new Message(wire));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    private static ByteBuf frames(int count) {
        ByteBuf all = Unpooled.buffer();
        for (int i = 0; i < count; i++) {
            all.writeBytes(framed(i));
        }
        return all;
    }

    private static byte[] framed(int id) {
        Message query = DnsClient.query("q" + id + ".example", Type.A, 0);
        query.getHeader().setID(id);
        byte[] wire = query.toWire();
        byte[] framed = new byte[wire.length + 2];
        framed[0] = (byte) (wire.length >> 8);
        framed[1] = (byte) wire.length;
        System.arraycopy(wire, 0, framed, 2, wire.length);
        return framed;
    }

    /** The socket: while {@code hold}, flushes are swallowed, so writes stay queued as when a client does not read. */
    private static final class HeldFlushes extends ChannelOutboundHandlerAdapter {
        boolean hold;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!hold) {
                ctx.flush();
            }
        }
    }
}
