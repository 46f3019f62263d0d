package io.splitroute.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

/**
 * One query on its own HTTP/2 stream: sends the request, collects the response's body, and offers it to the
 * {@link PendingReply} at the end of the stream. A stream that ends without a usable response (an HTTP
 * error status, a wrong content type, a reset, the connection's GOAWAY) fails the query; a query that ends
 * first (timeout) resets its stream.
 */
final class DohStream extends ChannelInboundHandlerAdapter {

    private static final int MAX_BODY = 0xFFFF;

    private final PendingReply pending;
    private final String name;
    private final Runnable onRead;
    private CompositeByteBuf body;

    private DohStream(PendingReply pending, String name, Runnable onRead) {
        this.pending = pending;
        this.name = name;
        this.onRead = onRead;
    }

    /** Opens a stream on {@code parent} for {@code pending}; {@code onDone} runs once when the query ends. */
    static void open(Channel parent, PendingReply pending, DohRequests requests, String name, Runnable onRead,
                     Runnable onDone) {
        DohStream handler = new DohStream(pending, name, onRead);
        Future<Http2StreamChannel> opened = new Http2StreamChannelBootstrap(parent).handler(handler).open();
        pending.onEnd(() -> {
            if (opened.isSuccess() && opened.getNow().isActive()) {
                opened.getNow().close(); // a reset: the server may stop working on it
            }
            handler.release();
            onDone.run();
        });
        opened.addListener(f -> {
            if (!f.isSuccess()) {
                pending.fail(Failures.of(name, "cannot open an HTTP/2 stream", f.cause()));
                return;
            }
            Http2StreamChannel stream = opened.getNow();
            byte[] wire = pending.query().wire();
            ByteBuf content = requests.body(wire);
            stream.write(new DefaultHttp2HeadersFrame(requests.h2Headers(wire), content == null));
            if (content != null) {
                stream.write(new DefaultHttp2DataFrame(content, true));
            }
            stream.flush();
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        onRead.run();
        try {
            if (msg instanceof Http2HeadersFrame headers) {
                headers(ctx, headers);
            } else if (msg instanceof Http2DataFrame data) {
                data(ctx, data);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void headers(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        if (body != null) {
            return; // trailers
        }
        String problem = DohRequests.problem(frame.headers().status(), frame.headers().get(HttpHeaderNames.CONTENT_TYPE));
        if (problem != null) {
            pending.fail(new UpstreamException(UpstreamException.Reason.HTTP, name, problem));
        } else if (frame.isEndStream()) {
            pending.fail(new UpstreamException(UpstreamException.Reason.HTTP, name, "HTTP response without a body"));
        } else {
            body = ctx.alloc().compositeBuffer();
        }
    }

    private void data(ChannelHandlerContext ctx, Http2DataFrame frame) {
        if (body == null || pending.future().isDone()) {
            return;
        }
        if (body.readableBytes() + frame.content().readableBytes() > MAX_BODY) {
            pending.fail(new UpstreamException(UpstreamException.Reason.HTTP, name, "response body over 65535 bytes"));
            return;
        }
        body.addComponent(true, frame.content().retain());
        if (frame.isEndStream()) {
            pending.offer(body);
            if (!pending.future().isDone()) {
                pending.fail(new UpstreamException(UpstreamException.Reason.HTTP, name,
                        "response is not the answer to the query (ID or question differ, or unreadable)"));
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof Http2ResetFrame reset) {
            pending.fail(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name,
                    "stream reset by the server (error " + reset.errorCode() + ")"));
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pending.fail(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name,
                "HTTP/2 stream closed before a reply"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        pending.fail(Failures.of(name, "HTTP/2 stream failed", cause));
    }

    private void release() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
