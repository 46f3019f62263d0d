package io.splitroute.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Serves one admin connection, one request at a time: a request must arrive whole (headers and body) within the
 * deadline; its headers pass the {@link AdminGuard} before anything else; a body over {@link #MAX_BODY} bytes is
 * answered 413 as soon as its length is known, and the connection closed without reading it. A refused request
 * closes the connection; an accepted one may keep it open for the next.
 */
final class AdminHttpHandler extends ChannelInboundHandlerAdapter {
    /** The largest request body taken (no endpoint reads one). */
    static final int MAX_BODY = 4096;
    private static final long LINGER_MILLIS = 1_000;

    private final AdminGuard guard;
    private final AdminEndpoints endpoints;
    private final long deadlineNanos;
    private final Consumer<AdminRejection> rejected;
    private ChannelHandlerContext ctx;
    private HttpRequest request;
    private long bodyBytes;
    /** A request is being answered (or the connection is closing): what arrives meanwhile is dropped. */
    private boolean busy;
    private ScheduledFuture<?> deadline;

    AdminHttpHandler(AdminGuard guard, AdminEndpoints endpoints, long deadlineNanos, Consumer<AdminRejection> rejected) {
        this.guard = guard;
        this.endpoints = endpoints;
        this.deadlineNanos = deadlineNanos;
        this.rejected = rejected;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        this.ctx = context;
        startDeadline();
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        try {
            if (!busy) {
                read(msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(Object msg) {
        if (msg instanceof HttpRequest headers) {
            if (headers.decoderResult().isFailure()) {
                refuse(headers.decoderResult().cause() instanceof TooLongFrameException ? AdminRejection.HEADERS
                        : AdminRejection.BAD_REQUEST);
                return;
            }
            AdminRejection refusal = guard.check(headers, (InetSocketAddress) ctx.channel().localAddress());
            if (refusal == null && declaredLength(headers) > MAX_BODY) {
                refusal = AdminRejection.TOO_LARGE;
            }
            if (refusal != null) {
                refuse(refusal);
                return;
            }
            request = headers;
            bodyBytes = 0;
        }
        if (msg instanceof HttpContent content && request != null) {
            bodyBytes += content.content().readableBytes();
            if (content.decoderResult().isFailure() || bodyBytes > MAX_BODY) {
                refuse(bodyBytes > MAX_BODY ? AdminRejection.TOO_LARGE : AdminRejection.BAD_REQUEST);
            } else if (content instanceof LastHttpContent) {
                answer(request);
            }
        }
    }

    private static long declaredLength(HttpRequest headers) {
        try {
            return HttpUtil.getContentLength(headers, 0L);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private void answer(HttpRequest whole) {
        request = null;
        busy = true;
        cancelDeadline();
        boolean keepAlive = HttpUtil.isKeepAlive(whole);
        CompletableFuture<AdminResponse> answer;
        try {
            answer = endpoints.handle(whole.method(), whole.uri());
        } catch (IllegalArgumentException e) { // a path the decoder cannot read (a bad %-escape)
            answer = CompletableFuture.completedFuture(AdminResponse.text(HttpResponseStatus.BAD_REQUEST,
                    "malformed request: " + e.getMessage() + "\n"));
        }
        answer.whenComplete((response, error) -> write(whole.method(), error == null ? response
                : AdminResponse.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "request failed: " + error + "\n"),
                keepAlive));
    }

    /** Answers a refused request and closes, or closes at once when the refusal has no answer. */
    private void refuse(AdminRejection why) {
        rejected.accept(why);
        busy = true;
        request = null;
        cancelDeadline();
        if (why.status() == null) {
            ctx.close();
            return;
        }
        write(HttpMethod.GET, AdminResponse.text(why.status(), why.message() + "\n"), false);
    }

    /** Writes an answer (from any thread); then closes, or waits for the next request. */
    private void write(HttpMethod method, AdminResponse answer, boolean keepAlive) {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                method.equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (answer.allow() != null) {
            response.headers().set(HttpHeaderNames.ALLOW, answer.allow());
        }
        if (answer.status().code() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"splitroute\"");
        }
        boolean keep = keepAlive && answer.status().code() < 400;
        response.headers().set(HttpHeaderNames.CONNECTION, keep ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (keep && written.isSuccess()) {
                busy = false;
                startDeadline();
            } else {
                closeAfterAnswer();
            }
        });
    }

    /**
     * Closes after an answer: the sending side first, then, a moment later, the socket. Closing at once with
     * unread bytes (a body refused unread) would reset the connection, and the client could lose the answer.
     */
    private void closeAfterAnswer() {
        ctx.channel().config().setAutoRead(false);
        if (ctx.channel() instanceof SocketChannel socket && socket.isActive()) {
            socket.shutdownOutput();
            ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            ctx.close();
        }
    }

    private void startDeadline() {
        deadline = ctx.executor().schedule(() -> {
            deadline = null;
            refuse(AdminRejection.TIMEOUT);
        }, deadlineNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        cancelDeadline();
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close(); // a reset connection; nothing to answer
    }
}
