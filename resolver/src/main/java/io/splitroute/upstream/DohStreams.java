package io.splitroute.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP/2 streams of one DoH connection, a query each, on the frame codec directly: a query's request is
 * written as frames of a new stream on the connection itself (no child channel per query), and the response's
 * frames are handed to the query's {@link DohStream} by stream. Connection-level frames pass on. A query that
 * ends first (timeout) resets its stream. Runs on the connection's event loop; sits right after the codec.
 */
final class DohStreams extends Http2ChannelDuplexHandler {

    private final String name;
    private final DohRequests requests;
    private final Map<Http2FrameStream, DohStream> open = new HashMap<>();
    private ChannelHandlerContext ctx;

    DohStreams(String name, DohRequests requests) {
        this.name = name;
        this.requests = requests;
    }

    @Override
    protected void handlerAdded0(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /** Sends {@code pending}'s query on a new stream; {@code onDone} runs once when the query ends. */
    void send(PendingReply pending, Runnable onDone) {
        Http2FrameStream stream = newStream();
        DohStream exchange = new DohStream(pending, stream, name);
        open.put(stream, exchange);
        pending.onEnd(() -> {
            open.remove(stream);
            if (!pending.future().isDone() || pending.future().isCompletedExceptionally()) {
                reset(stream); // the server may stop working on it
            }
            exchange.release();
            onDone.run();
        });
        byte[] wire = pending.query().wire();
        ByteBuf content = requests.body(wire);
        ChannelFutureListener failed = f -> {
            if (!f.isSuccess()) {
                pending.fail(Failures.of(name, "cannot send the HTTP/2 request", f.cause()));
            }
        };
        ctx.write(new DefaultHttp2HeadersFrame(requests.h2Headers(wire), content == null).stream(stream))
                .addListener(failed);
        if (content != null) {
            ctx.write(new DefaultHttp2DataFrame(content, true).stream(stream)).addListener(failed);
        }
        ctx.flush();
    }

    private void reset(Http2FrameStream stream) {
        Http2Stream.State state = stream.state();
        if (stream.id() > 0 && state != Http2Stream.State.CLOSED && ctx.channel().isActive()) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL).stream(stream));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof Http2StreamFrame frame) || frame.stream() == null) {
            context.fireChannelRead(msg);
            return;
        }
        try {
            DohStream exchange = open.get(frame.stream());
            if (exchange == null) {
                return; // a query that already ended (timed out)
            }
            switch (frame) {
                case Http2HeadersFrame headers -> exchange.headers(context.alloc(), headers);
                case Http2DataFrame data -> exchange.data(data);
                case Http2ResetFrame reset -> exchange.closed("stream reset by the server (error " + reset.errorCode() + ")");
                default -> { }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof Http2FrameStreamEvent e && e.type() == Http2FrameStreamEvent.Type.State
                && e.stream().state() == Http2Stream.State.CLOSED) {
            DohStream exchange = open.get(e.stream());
            if (exchange != null) {
                exchange.closed("HTTP/2 stream closed before a reply");
            }
        }
        context.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof Http2FrameStreamException e && open.get(e.stream()) != null) {
            open.get(e.stream()).pending().fail(Failures.of(name, "HTTP/2 stream failed", cause));
            return;
        }
        context.fireExceptionCaught(cause);
    }

    /** Fails every query still open (the connection is gone). */
    void failAll(UpstreamException why) {
        java.util.List.copyOf(open.values()).forEach(exchange -> exchange.pending().fail(why));
    }

    /** Queries waiting for their response on this connection. */
    int inFlight() {
        return open.size();
    }
}
