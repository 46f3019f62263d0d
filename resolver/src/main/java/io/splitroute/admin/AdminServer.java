package io.splitroute.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP listener, on one event loop of its own: {@code GET /metrics} (Prometheus text), {@code GET
 * /healthz} (200 or 503 with the reasons), {@code POST /reload}, and {@code GET|POST /querylog}. Bounded whatever a
 * client does: a connection from outside {@code allow} or over {@link #MAX_CONNECTIONS} is closed at accept, a
 * request line over 4 KiB or headers over 8 KiB get 431, a body over 4 KiB gets 413 unread, and a request must
 * arrive whole within {@link #REQUEST_DEADLINE}; requests are checked by an {@link AdminGuard} (Host, Origin,
 * bearer token). No connection waits on another, so {@code /healthz} answers while others are slow or a reload runs.
 */
public final class AdminServer implements AutoCloseable {
    /** How long a request may take to arrive whole, from the connection's start or the previous answer. */
    public static final Duration REQUEST_DEADLINE = Duration.ofSeconds(5);
    /** The most admin connections open at once. */
    public static final int MAX_CONNECTIONS = 64;
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_LINE = 4096;
    private static final int MAX_HEADERS = 8192;

    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("splitroute-admin", true), NioIoHandler.newFactory());
    private final AdminEndpoints endpoints;
    private final AdminGuard guard;
    private final Map<AdminRejection, Counter> rejected = new EnumMap<>(AdminRejection.class);
    private final AtomicInteger open = new AtomicInteger();
    private Channel channel;

    private AdminServer(PrometheusMeterRegistry registry, HealthCheck health, QueryLog queryLog, AdminGuard guard) {
        this.endpoints = new AdminEndpoints(registry, health, queryLog);
        this.guard = guard;
        for (AdminRejection why : AdminRejection.values()) {
            rejected.put(why, Counter.builder("admin.requests.rejected").tag("reason", why.tag())
                    .description("Admin connections or requests refused: outside allow, too many connections, "
                            + "foreign Host or Origin, no token, too large, malformed, too slow")
                    .register(registry));
        }
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @param address  where to listen (port 0: any free port, see {@link #address()})
     * @param allow    the client networks served ({@code 192.168.1.0/24}), or {@code null} for any
     * @param names    host names accepted in {@code Host} besides addresses and {@code localhost}
     * @param token    the bearer token every request must carry, or {@code null} for none
     * @param registry the meters served on {@code /metrics}
     * @param health   what {@code /healthz} reports
     * @param queryLog what {@code /querylog} switches
     * @throws IOException when the address cannot be bound
     */
    public static AdminServer start(InetSocketAddress address, List<String> allow, List<String> names, String token,
                                    PrometheusMeterRegistry registry, HealthCheck health, QueryLog queryLog)
            throws IOException {
        AdminServer admin = new AdminServer(registry, health, queryLog, new AdminGuard(allow, names, token));
        try {
            admin.bind(address);
        } catch (IOException | RuntimeException e) {
            admin.close();
            throw e;
        }
        log.info("admin listener on http://{}/ (metrics, healthz, reload, querylog){}{}", hostPort(admin.address()),
                allow == null ? "" : "; clients " + allow, token == null ? "" : "; bearer token required");
        return admin;
    }

    private void bind(InetSocketAddress address) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (admit(ch)) {
                            ch.pipeline().addLast(new HttpServerCodec(MAX_LINE, MAX_HEADERS, 8192),
                                    new AdminHttpHandler(guard, endpoints, REQUEST_DEADLINE.toNanos(),
                                            why -> rejected.get(why).increment()));
                        }
                    }
                });
        var bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException(String.valueOf(bound.cause().getMessage()), bound.cause());
        }
        channel = bound.channel();
    }

    /** Closes a connection from outside {@code allow} or over the cap before anything is read from it. */
    private boolean admit(SocketChannel ch) {
        AdminRejection refusal = !guard.admits(ch.remoteAddress()) ? AdminRejection.ALLOW
                : open.incrementAndGet() > MAX_CONNECTIONS ? AdminRejection.CONNECTIONS : null;
        if (refusal == AdminRejection.CONNECTIONS) {
            open.decrementAndGet();
        }
        if (refusal != null) {
            rejected.get(refusal).increment();
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(closed -> open.decrementAndGet());
        return true;
    }

    /** Returns the bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Sets what {@code POST /reload} calls; until set, it answers 501 Not Implemented. */
    public void onReload(ReloadHook hook) {
        endpoints.onReload(hook);
    }

    private static String hostPort(InetSocketAddress address) {
        String host = NetUtil.toAddressString(address.getAddress());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Stops listening and closes every admin connection (waits at most a second). */
    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        endpoints.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
