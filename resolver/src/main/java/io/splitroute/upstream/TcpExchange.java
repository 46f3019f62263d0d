package io.splitroute.upstream;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * Sends one query to one server over a TCP connection of its own and waits for its reply (connect, write the
 * 2-byte length and the message, read frames until the reply that matches, close). The overflow path of
 * {@link TcpConnections} when its shared connection is full.
 */
final class TcpExchange {

    private static final int MAX_MESSAGE = 0xFFFF;

    private final InetSocketAddress server;
    private final String name;
    private final UpstreamOptions options;
    private final UpstreamStats stats;
    private final Dialer dialer;

    TcpExchange(InetSocketAddress server, String name, Dialer dialer, UpstreamStats stats) {
        this.server = server;
        this.name = name;
        this.options = dialer.options();
        this.stats = stats;
        this.dialer = dialer;
    }

    /** Sends {@code query}; the future ends within the attempt timeout (connect included). */
    CompletableFuture<Message> send(UpstreamQuery query) {
        EventLoop loop = EventLoops.pick(options.transport().group());
        PendingReply pending = new PendingReply(query, name, stats);
        pending.runOn(loop, () -> start(loop, pending));
        return pending.future();
    }

    private void start(EventLoop loop, PendingReply pending) {
        pending.startTimer(loop, options.attemptTimeout());
        ChannelFuture connect = dialer.connect(loop, server, pipeline -> pipeline.addLast(
                new LengthFieldBasedFrameDecoder(MAX_MESSAGE, 0, 2, 0, 2),
                new LengthFieldPrepender(2),
                new TcpReplyHandler(pending)));
        pending.attach(connect.channel());
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) { // a refused binding completes on another thread: fail on ours
                loop.execute(() -> pending.fail(Failures.unreachable(name, "cannot connect", f.cause())));
                return;
            }
            f.channel().writeAndFlush(Unpooled.wrappedBuffer(pending.query().wire())).addListener(w -> {
                if (!w.isSuccess()) {
                    pending.fail(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, name,
                            "cannot send the query: " + w.cause().getMessage(), w.cause()));
                }
            });
        });
    }
}
