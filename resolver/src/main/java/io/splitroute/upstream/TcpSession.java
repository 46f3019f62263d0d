package io.splitroute.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;

/**
 * One TCP connection to one server, owned by one event loop, carrying many queries (RFC 7766 pipelining):
 * each query is written as soon as the connection is up, replies may come in any order and are matched by
 * ID, then checked for the question. The connection closes itself after {@link #IDLE} without queries; if
 * it closes or breaks first, the queries in flight fail with
 * {@link UpstreamException.Reason#CONNECTION_CLOSED} and the next query opens a new connection.
 *
 * <p>All methods run on the owning event loop.
 */
final class TcpSession {

    /** Queries in flight at once on one connection; more go over a connection of their own. */
    static final int MAX_IN_FLIGHT = 128;
    /** Idle time after which we close: shorter than the usual server idle timeouts (BIND, Unbound: 30 s). */
    static final Duration IDLE = Duration.ofSeconds(10);

    private static final int MAX_MESSAGE = 0xFFFF;

    private final EventLoop loop;
    private final String name;
    private final UpstreamStats stats;
    private final Channel channel;
    private final Map<Integer, PendingReply> inFlight = new HashMap<>();
    private final List<PendingReply> unsent = new ArrayList<>();
    private ScheduledFuture<?> idleTimer;
    private boolean connected;
    private boolean closed;
    private int sent;

    TcpSession(EventLoop loop, InetSocketAddress server, String name, UpstreamOptions options, UpstreamStats stats) {
        this.loop = loop;
        this.name = name;
        this.stats = stats;
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(options.transport().socket())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.attemptTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_MESSAGE, 0, 2, 0, 2),
                                new LengthFieldPrepender(2), new Reader());
                    }
                })
                .connect(server);
        this.channel = connect.channel();
        connect.addListener((ChannelFuture f) -> connected(f));
    }

    /** Whether this connection can take another query: not closed, and room for one more in flight. */
    boolean canTake() {
        return !closed && inFlight.size() < MAX_IN_FLIGHT;
    }

    /** Whether this connection is gone (closed by either side); the next query needs a new one. */
    boolean isClosed() {
        return closed;
    }

    /** How many queries were sent on this connection so far. */
    int sent() {
        return sent;
    }

    /** Copies {@code client} under a random ID not in flight on this connection. */
    UpstreamQuery newQuery(Message client) {
        UpstreamQuery query;
        do {
            query = UpstreamQuery.of(client);
        } while (inFlight.containsKey(query.id()));
        return query;
    }

    /** Sends the query of {@code pending} (now, or once connected) and routes its reply back to it. */
    void send(PendingReply pending) {
        int id = pending.query().id();
        inFlight.put(id, pending);
        sent++;
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        pending.onEnd(() -> left(id));
        if (connected) {
            write(pending);
        } else {
            unsent.add(pending);
        }
    }

    private void left(int id) {
        inFlight.remove(id);
        if (inFlight.isEmpty() && !closed) {
            idleTimer = loop.schedule(this::closeIfIdle, IDLE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void closeIfIdle() {
        if (inFlight.isEmpty()) {
            closed = true;
            channel.close();
        }
    }

    private void connected(ChannelFuture f) {
        if (!f.isSuccess()) {
            closed = true;
            failAll(new UpstreamException(UpstreamException.Reason.UNREACHABLE, name,
                    "cannot connect: " + f.cause().getMessage(), f.cause()));
            return;
        }
        connected = true;
        List<PendingReply> waiting = List.copyOf(unsent);
        unsent.clear();
        for (PendingReply pending : waiting) {
            if (!pending.future().isDone()) { // not timed out while we were connecting
                write(pending);
            }
        }
    }

    private void write(PendingReply pending) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(pending.query().wire())).addListener(w -> {
            if (!w.isSuccess()) {
                // A failed write means a broken connection; Netty fails the write before it fires
                // channelInactive, so mark it here, or the retry below would be sent on this one again.
                closed = true;
                channel.close();
                pending.fail(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name,
                        "cannot send the query: " + w.cause().getMessage(), w.cause()));
            }
        });
    }

    private void failAll(UpstreamException failure) {
        unsent.clear();
        List.copyOf(inFlight.values()).forEach(p -> p.fail(failure)); // fail() removes from inFlight
    }

    /** Routes each length-delimited frame to the query with its ID; anything else is dropped and counted. */
    private final class Reader extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            Message reply;
            try {
                reply = new Message(ByteBufUtil.getBytes(frame));
            } catch (IOException | RuntimeException e) {
                stats.countDroppedReply();
                return;
            }
            PendingReply pending = inFlight.get(reply.getHeader().getID());
            if (pending == null) {
                stats.countDroppedReply(); // unknown ID, or a reply after its query timed out
            } else {
                pending.offer(reply);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed = true;
            failAll(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name,
                    "TCP connection closed before a valid reply"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closed = true;
            failAll(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name,
                    "TCP connection failed: " + cause, cause));
            ctx.close();
        }
    }
}
