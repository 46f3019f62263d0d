package io.splitroute.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * Sends one query to one server over TCP and waits for its reply: a new connection per query (connect,
 * write the 2-byte length and the message, read frames until the reply that matches, close). Used by
 * {@link TcpUpstream} and by {@link UdpUpstream} for its retry after truncation.
 *
 * <p>One connection per query costs a handshake each time; it keeps the code simple and is acceptable for
 * TCP's role here (truncated answers, {@code tcp://} upstreams). Reuse with pipelining (RFC 7766) is the
 * obvious next step if {@code tcp://} upstreams become hot.
 */
final class TcpExchange {

    private static final int MAX_MESSAGE = 0xFFFF;

    private final InetSocketAddress server;
    private final String name;
    private final UpstreamOptions options;
    private final UpstreamStats stats;

    TcpExchange(InetSocketAddress server, String name, UpstreamOptions options, UpstreamStats stats) {
        this.server = server;
        this.name = name;
        this.options = options;
        this.stats = stats;
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
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(options.transport().socket())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.attemptTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(
                                new LengthFieldBasedFrameDecoder(MAX_MESSAGE, 0, 2, 0, 2),
                                new LengthFieldPrepender(2),
                                new TcpReplyHandler(pending));
                    }
                })
                .connect(server);
        pending.attach(connect.channel());
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                pending.fail(new UpstreamException(UpstreamException.Reason.UNREACHABLE, name,
                        "cannot connect: " + f.cause().getMessage(), f.cause()));
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
