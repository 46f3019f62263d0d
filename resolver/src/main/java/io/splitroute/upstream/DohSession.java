package io.splitroute.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;

/**
 * One HTTPS connection to one DNS-over-HTTPS server, owned by one event loop: TLS with ALPN, then HTTP/2
 * (a stream per query written on the connection itself, {@link DohStreams}) or, when the server only speaks it, HTTP/1.1 (queries pipelined,
 * answered in order, {@link DohHttp1}). Queries wait in order while the connection is set up. After a
 * GOAWAY the connection takes no new query; the streams it refused fail as
 * {@link UpstreamException.Reason#CONNECTION_CLOSED} and are sent again on a fresh connection by the pool.
 *
 * <p>All methods run on the owning event loop.
 */
final class DohSession implements Session {

    /** HTTP/2 streams at once on one connection (servers allow at least 100). */
    static final int MAX_STREAMS = 100;
    /** HTTP/1.1 requests pipelined at once on one connection. */
    static final int MAX_PIPELINED = 16;

    private final EventLoop loop;
    private final String name;
    private final UpstreamStats stats;
    private final Endpoint endpoint;
    private final Dialer dialer;
    private final DohRequests requests;
    private final List<PendingReply> unsent = new ArrayList<>();
    private Channel channel;
    private InetSocketAddress server;
    private Http2FrameCodec h2;
    private DohStreams streams;
    private DohHttp1 http1;
    private boolean closed;
    private boolean draining;
    private long lastReadNanos = System.nanoTime();
    private IdleCloser idle;

    DohSession(EventLoop loop, Endpoint endpoint, String name, Dialer dialer, DohRequests requests, UpstreamStats stats) {
        this.loop = loop;
        this.name = name;
        this.stats = stats;
        this.endpoint = endpoint;
        this.dialer = dialer;
        this.requests = requests;
        this.idle = new IdleCloser(loop, () -> close(null));
        endpoint.address().whenComplete((address, error) -> onLoop(() -> dial(address, error)));
    }

    @Override
    public boolean canTake() {
        if (closed || draining || h2 != null && h2.connection().goAwayReceived()) {
            return false;
        }
        int limit = http1 != null ? MAX_PIPELINED
                : h2 != null ? Math.min(MAX_STREAMS, h2.connection().local().maxActiveStreams()) : MAX_STREAMS;
        return inFlight() < limit;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean draining() {
        return draining;
    }

    @Override
    public int inFlight() {
        return http1 != null ? http1.outstanding() : (streams == null ? 0 : streams.inFlight()) + unsent.size();
    }

    /** ID 0, as RFC 8484 asks: the HTTP exchange pairs the reply with its query. */
    @Override
    public UpstreamQuery newQuery(Message client) {
        return UpstreamQuery.of(client, 0);
    }

    @Override
    public void send(PendingReply pending) {
        idle.busy();
        if (closed) {
            pending.fail(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name, "connection closed"));
        } else if (h2 != null) {
            startStream(pending);
        } else if (http1 != null) {
            http1.send(pending);
        } else {
            unsent.add(pending);
            pending.onEnd(() -> unsent.remove(pending));
        }
    }

    @Override
    public void timedOut(long sentNanos) {
        if (lastReadNanos - sentNanos < 0 && !closed) {
            close(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name,
                    "connection closed: nothing read since a query that timed out"));
        }
    }

    @Override
    public void retire() {
        draining = true;
        idleIfEmpty(); // closes now if nothing is in flight, else when the last stream ends
    }

    /** Notes that the server sent something (a reply, a frame): the connection is alive. */
    void read() {
        lastReadNanos = System.nanoTime();
    }

    private void startStream(PendingReply pending) {
        streams.send(pending, this::idleIfEmpty);
    }

    void idleIfEmpty() {
        if (inFlight() == 0 && !closed) {
            if (draining) {
                close(null);
            } else {
                idle.idle();
            }
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
        ChannelFuture connect = dialer.connect(loop, address, pipeline -> pipeline.addLast(new AlpnSwitch()));
        channel = connect.channel();
        connect.addListener((ChannelFuture f) -> onLoop(() -> {
            if (!f.isSuccess()) {
                endpoint.failed(server);
                close(Failures.unreachable(name, "cannot connect to " + UpstreamAddress.hostPort(server), f.cause()));
            }
        }));
    }

    /** Sets up HTTP/2 or HTTP/1.1 behind TLS as ALPN chose, then sends the queries that waited. */
    private void ready(ChannelPipeline pipeline, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            h2 = Http2FrameCodecBuilder.forClient()
                    .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                    .build();
            streams = new DohStreams(name, requests);
            // The GOAWAY is seen before the codec closes the streams it refused: their retries must already
            // find this connection draining, or they would be sent on it again.
            pipeline.addLast(h2, new GoAwayWatcher(), streams, new ConnectionEnd());
        } else {
            http1 = new DohHttp1(channel, requests, name, stats, this::read, this::idleIfEmpty);
            pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(0xFFFF), http1, new ConnectionEnd());
        }
        List<PendingReply> waiting = List.copyOf(unsent);
        unsent.clear();
        for (PendingReply pending : waiting) {
            if (!pending.future().isDone()) {
                send(pending);
            }
        }
    }

    /** Marks the connection gone, fails what it carries with {@code failure} (if any), closes the channel. */
    void close(UpstreamException failure) {
        if (closed) {
            return;
        }
        closed = true;
        idle.cancel();
        UpstreamException why = failure != null ? failure
                : new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name, "connection closed");
        List.copyOf(unsent).forEach(p -> p.fail(why));
        if (streams != null) {
            streams.failAll(why);
        }
        if (http1 != null) {
            http1.failAll(why);
        }
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

    /** Waits for the TLS handshake, then switches the pipeline to the protocol ALPN agreed on. */
    private final class AlpnSwitch extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent done) {
                if (done.isSuccess()) {
                    String protocol = ctx.pipeline().get(SslHandler.class).applicationProtocol();
                    ctx.pipeline().remove(this);
                    ready(ctx.pipeline(), protocol);
                } else {
                    close(Failures.of(name, "TLS handshake with " + UpstreamAddress.hostPort(server) + " failed",
                            done.cause()));
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            close(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name,
                    "HTTPS connection closed during the TLS handshake"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close(Failures.of(name, "HTTPS connection failed", cause));
        }
    }

    /** Marks the connection draining when a GOAWAY arrives (no new stream on it), and passes it on. */
    private final class GoAwayWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            read();
            if (msg instanceof Http2GoAwayFrame) {
                draining = true;
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** The end of the pipeline: drops connection-level frames, closes the session when the connection ends. */
    private final class ConnectionEnd extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2GoAwayFrame) {
                idleIfEmpty(); // closes now if no stream is left
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            close(null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close(Failures.of(name, "HTTPS connection failed", cause));
        }
    }
}
