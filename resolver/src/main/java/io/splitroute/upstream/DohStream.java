package io.splitroute.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;

/**
 * One query on its own HTTP/2 stream of a {@link DohStreams} connection: collects the response's body and offers
 * it to the {@link PendingReply} at the end of the stream. A stream that ends without a usable response (an
 * HTTP error status, a wrong content type, a reset, the connection's GOAWAY) fails the query. Runs on the
 * connection's event loop.
 */
final class DohStream {

    private static final int MAX_BODY = 0xFFFF;

    private final PendingReply pending;
    private final Http2FrameStream stream;
    private final String name;
    private CompositeByteBuf body;

    DohStream(PendingReply pending, Http2FrameStream stream, String name) {
        this.pending = pending;
        this.stream = stream;
        this.name = name;
    }

    PendingReply pending() {
        return pending;
    }

    Http2FrameStream stream() {
        return stream;
    }

    void headers(ByteBufAllocator alloc, Http2HeadersFrame frame) {
        if (body != null) {
            return; // trailers
        }
        String problem = DohRequests.problem(frame.headers().status(), frame.headers().get(HttpHeaderNames.CONTENT_TYPE));
        if (problem != null) {
            pending.fail(new UpstreamException(UpstreamException.Reason.HTTP, name, problem));
        } else if (frame.isEndStream()) {
            pending.fail(new UpstreamException(UpstreamException.Reason.HTTP, name, "HTTP response without a body"));
        } else {
            body = alloc.compositeBuffer();
        }
    }

    void data(Http2DataFrame frame) {
        if (body == null || pending.future().isDone()) {
            return;
        }
        ByteBuf content = frame.content();
        if (body.readableBytes() + content.readableBytes() > MAX_BODY) {
            pending.fail(new UpstreamException(UpstreamException.Reason.HTTP, name, "response body over 65535 bytes"));
            return;
        }
        body.addComponent(true, content.retain());
        if (frame.isEndStream()) {
            pending.offer(body);
            if (!pending.future().isDone()) {
                pending.fail(new UpstreamException(UpstreamException.Reason.HTTP, name,
                        "response is not the answer to the query (ID or question differ, or unreadable)"));
            }
        }
    }

    /** The stream was reset by the server or closed before the response's end. */
    void closed(String why) {
        pending.fail(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name, why));
    }

    void release() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
