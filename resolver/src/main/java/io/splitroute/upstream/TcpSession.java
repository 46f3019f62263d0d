package io.splitroute.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
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
 * One TCP connection to one server, plain or TLS (DNS over TLS is the same framing inside TLS, RFC 7858),
 * owned by one event loop, carrying many queries (RFC 7766 pipelining): each query is written as soon as the
 * connection is up (over TLS, the handler holds writes until the handshake is done), replies may come in any
 * order and are matched by ID, then checked for the question. The connection closes itself after
 * {@link #IDLE} without queries; if it closes or breaks first, the queries in flight fail with
 * {@link UpstreamException.Reason#CONNECTION_CLOSED}, or with {@link UpstreamException.Reason#TLS} when the
 * handshake failed, and the next query opens a new connection.
 *
 * <p>All methods run on the owning event loop.
 */
final class TcpSession implements Session {

    /** Queries in flight at once on one connection; more go over another connection. */
    static final int MAX_IN_FLIGHT = 128;
    /** Idle time after which we close: shorter than the usual server idle timeouts (BIND, Unbound: 30 s). */
    static final Duration IDLE = Duration.ofSeconds(10);

    private static final int MAX_MESSAGE = 0xFFFF;

    private final EventLoop loop;
    private final String name;
    private final UpstreamStats stats;
    private final Endpoint endpoint;
    private final Dialer dialer;
    private final Map<Integer, PendingReply> inFlight = new HashMap<>();
    private final List<PendingReply> unsent = new ArrayList<>();
    private Channel channel;
    private InetSocketAddress server;
    private ScheduledFuture<?> idleTimer;
    private boolean connected;
    private boolean closed;
    private boolean retired;
    private int sent;
    private long lastReadNanos = System.nanoTime();

    TcpSession(EventLoop loop, Endpoint endpoint, String name, Dialer dialer, UpstreamStats stats) {
        this.loop = loop;
        this.name = name;
        this.stats = stats;
        this.endpoint = endpoint;
        this.dialer = dialer;
        endpoint.address().whenComplete((address, error) -> onLoop(() -> dial(address, error)));
    }

    @Override
    public boolean canTake() {
        return !closed && !retired && inFlight.size() < MAX_IN_FLIGHT;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public int inFlight() {
        return inFlight.size();
    }

    /** How many queries were sent on this connection so far. */
    int sent() {
        return sent;
    }

    /** Copies {@code client} under a random ID not in flight on this connection. */
    @Override
    public UpstreamQuery newQuery(Message client) {
        UpstreamQuery query;
        do {
            query = UpstreamQuery.of(client);
        } while (inFlight.containsKey(query.id()));
        return query;
    }

    @Override
    public void send(PendingReply pending) {
        int id = pending.query().id();
        inFlight.put(id, pending);
        sent++;
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        pending.onEnd(() -> left(id, pending));
        if (closed) {
            pending.fail(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name, "connection closed"));
        } else if (connected) {
            write(pending);
        } else {
            unsent.add(pending);
        }
    }

    @Override
    public void timedOut(long sentNanos) {
        if (lastReadNanos - sentNanos < 0 && !closed) {
            close(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name,
                    "connection closed: nothing read since a query that timed out"));
        }
    }

    private void left(int id, PendingReply pending) {
        if (inFlight.get(id) == pending) {
            inFlight.remove(id);
        }
        if (inFlight.isEmpty() && !closed) {
            if (retired) {
                close(null);
            } else {
                idleTimer = loop.schedule(this::closeIfIdle, IDLE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void retire() {
        retired = true;
        if (inFlight.isEmpty() && !closed) {
            if (idleTimer != null) {
                idleTimer.cancel(false);
                idleTimer = null;
            }
            close(null);
        }
    }

    private void closeIfIdle() {
        if (inFlight.isEmpty()) {
            close(null);
        }
    }

    private void dial(InetSocketAddress address, Throwable error) {
        if (closed) {
            return;
        }
        if (error != null) {
            Throwable cause = Failures.unwrap(error);
            close(cause instanceof UpstreamException u ? u : Failures.unreachable(name, "cannot find the address", cause));
            return;
        }
        server = address;
        ChannelFuture connect = dialer.connect(loop, address, pipeline -> pipeline.addLast(
                new LengthFieldBasedFrameDecoder(MAX_MESSAGE, 0, 2, 0, 2), new LengthFieldPrepender(2), new Reader()));
        channel = connect.channel();
        connect.addListener((ChannelFuture f) -> onLoop(() -> connected(f)));
    }

    private void connected(ChannelFuture f) {
        if (!f.isSuccess()) {
            endpoint.failed(server);
            close(Failures.unreachable(name, "cannot connect to " + UpstreamAddress.hostPort(server), f.cause()));
            return;
        }
        if (closed) {
            f.channel().close();
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
            if (!w.isSuccess()) { // the connection is broken: a retry must not find it open
                close(Failures.of(name, "cannot send the query", w.cause()));
            }
        });
    }

    /** Marks the connection gone, fails what it carries with {@code failure} (if any), closes the channel. */
    private void close(UpstreamException failure) {
        closed = true;
        if (failure != null) {
            unsent.forEach(p -> p.fail(failure));
            List.copyOf(inFlight.values()).forEach(p -> p.fail(failure)); // fail() removes from inFlight
        }
        unsent.clear();
        if (channel != null) {
            channel.close();
        }
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** Routes each length-delimited frame to the query with its ID; anything else is dropped and counted. */
    private final class Reader extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            lastReadNanos = System.nanoTime();
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
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
                close(Failures.of(name, "TLS handshake with " + UpstreamAddress.hostPort(server) + " failed", done.cause()));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            close(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name,
                    (dialer.encrypted() ? "TLS" : "TCP") + " connection closed before a valid reply"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close(Failures.of(name, (dialer.encrypted() ? "TLS" : "TCP") + " connection failed", cause));
        }
    }
}
