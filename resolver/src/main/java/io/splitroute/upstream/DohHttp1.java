package io.splitroute.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.ArrayDeque;
import java.util.List;

/**
 * DNS over HTTPS on an HTTP/1.1 connection (the server did not offer HTTP/2): requests pipelined, responses
 * paired with them in order. A query that timed out keeps its place until its response arrives (and is
 * dropped), so the responses behind it still find their queries.
 */
final class DohHttp1 extends SimpleChannelInboundHandler<FullHttpResponse> {

    private final Channel channel;
    private final DohRequests requests;
    private final String name;
    private final UpstreamStats stats;
    private final Runnable onRead;
    private final Runnable onIdle;
    private final ArrayDeque<PendingReply> order = new ArrayDeque<>();

    DohHttp1(Channel channel, DohRequests requests, String name, UpstreamStats stats, Runnable onRead, Runnable onIdle) {
        this.channel = channel;
        this.requests = requests;
        this.name = name;
        this.stats = stats;
        this.onRead = onRead;
        this.onIdle = onIdle;
    }

    /** Requests sent whose response has not come yet (timed-out queries included). */
    int outstanding() {
        return order.size();
    }

    void send(PendingReply pending) {
        order.add(pending);
        channel.writeAndFlush(requests.http1(pending.query().wire())).addListener(w -> {
            if (!w.isSuccess()) {
                pending.fail(Failures.of(name, "cannot send the request", w.cause()));
            }
        });
    }

    void failAll(UpstreamException failure) {
        List.copyOf(order).forEach(p -> p.fail(failure));
        order.clear();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        onRead.run();
        PendingReply pending = order.poll();
        if (pending == null) {
            stats.countDroppedReply(); // a response nobody asked for
            return;
        }
        String problem = DohRequests.problem(Integer.toString(response.status().code()),
                response.headers().get(HttpHeaderNames.CONTENT_TYPE));
        if (problem != null) {
            pending.fail(new UpstreamException(UpstreamException.Reason.HTTP, name, problem));
        } else {
            pending.offer(response.content());
            if (!pending.future().isDone()) {
                pending.fail(new UpstreamException(UpstreamException.Reason.HTTP, name,
                        "response is not the answer to the query (ID or question differ, or unreadable)"));
            }
        }
        if (order.isEmpty()) {
            onIdle.run();
        }
    }
}
