package io.splitroute.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.splitroute.upstream.tls.TlsClients;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Opens the TCP connections of one server: socket bound as its {@link SocketBinding} says before it
 * connects, Nagle off, connect bounded by the attempt timeout, and for an encrypted server an
 * {@link io.netty.handler.ssl.SslHandler} first in the pipeline, then flushes consolidated per event-loop turn.
 * Each open connection is counted in the
 * server's {@link UpstreamStats#openConnections()} until it closes.
 */
final class Dialer {

    private final UpstreamOptions options;
    private final SocketBinding binding;
    private final UpstreamStats stats;
    private final SslContext tls;
    private final String tlsName;
    private final ReflectiveChannelFactory<? extends SocketChannel> channels;

    /**
     * @param tls     the server's TLS context, or {@code null} for plain TCP
     * @param tlsName the name sent as SNI and under which sessions are cached (with the port)
     */
    Dialer(UpstreamOptions options, SocketBinding binding, UpstreamStats stats, SslContext tls, String tlsName) {
        this.options = options;
        this.binding = binding;
        this.stats = stats;
        this.tls = tls;
        this.tlsName = tlsName;
        this.channels = new ReflectiveChannelFactory<>(options.transport().socket());
    }

    /** A dialer for plain TCP. */
    static Dialer plain(UpstreamOptions options, SocketBinding binding, UpstreamStats stats) {
        return new Dialer(options, binding, stats, null, null);
    }

    UpstreamOptions options() {
        return options;
    }

    SocketBinding binding() {
        return binding;
    }

    /** Whether connections are encrypted. */
    boolean encrypted() {
        return tls != null;
    }

    /**
     * Connects from {@code loop} to {@code server}; {@code init} adds the handlers behind the TLS handler.
     * A binding the socket refuses (no such interface, not permitted) fails the returned future.
     */
    ChannelFuture connect(EventLoop loop, InetSocketAddress server, Consumer<ChannelPipeline> init) {
        return new Bootstrap()
                .group(loop)
                .channelFactory(() -> {
                    SocketChannel channel = channels.newChannel();
                    try {
                        binding.apply(channel);
                    } catch (RuntimeException e) {
                        channel.unsafe().closeForcibly();
                        throw e;
                    }
                    return channel;
                })
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.attemptTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        stats.connectionOpened();
                        ch.closeFuture().addListener(f -> stats.connectionClosed());
                        if (tls != null) {
                            ch.pipeline().addLast(TlsClients.handler(tls, ch.alloc(), tlsName, server.getPort(),
                                    options.attemptTimeout()));
                        }
                        // Queries sent in one turn of the event loop (a batch of client datagrams) leave in one
                        // flush: one TLS record and one write instead of one per query.
                        ch.pipeline().addLast(new FlushConsolidationHandler(
                                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
                        init.accept(ch.pipeline());
                    }
                })
                .connect(server);
    }
}
