package io.splitroute.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NetUtil;
import io.splitroute.config.ListenAddress;
import io.splitroute.config.TcpConfig;
import io.splitroute.net.NetTransport;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP and TCP listeners. Each listen address gets a UDP socket (one per event loop with SO_REUSEPORT on
 * epoll, so queries spread over the cores) and a TCP server socket. An address that does not exist yet
 * (a LAN address before DHCP, a tunnel address) is retried until it appears, like dnsmasq's bind-dynamic.
 */
public final class DnsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
    private static final long RETRY_SECONDS = 2;
    /** Replies held back at most before a flush while a read burst goes on. */
    private static final int FLUSH_AFTER = 64;
    /** Largest UDP query read whole (dnsmasq's limit too). */
    private static final int MAX_QUERY = 4096;
    /** Datagrams read per recvmmsg call: 4 x 4096 bytes is the largest buffer Netty's allocator pools. */
    private static final int DATAGRAMS_PER_READ = 4;

    private final NetTransport transport;
    private final QueryDispatcher dispatcher;
    private final TcpConfig tcp;
    private final TcpStats tcpStats = new TcpStats();
    private final ConnectionLimiter limiter;
    private final UdpQueryHandler udpHandler;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final List<ScheduledFuture<?>> retries = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private java.util.concurrent.ScheduledExecutorService retrier;

    /**
     * @param transport  the shared Netty transport
     * @param dispatcher where queries go
     * @param tcp        TCP limits
     * @param acl        the client networks served: a TCP connection from elsewhere is closed at accept
     */
    public DnsServer(NetTransport transport, QueryDispatcher dispatcher, TcpConfig tcp, List<String> acl) {
        this.transport = transport;
        this.dispatcher = dispatcher;
        this.tcp = tcp;
        this.limiter = new ConnectionLimiter(acl, tcp.maxConnections(), tcp.maxPerClient(), tcpStats);
        this.udpHandler = new UdpQueryHandler(dispatcher);
    }

    /**
     * Starts listening on every address. Returns when each is bound or scheduled for retry.
     *
     * @throws BindException when an address cannot be used for another reason than not existing yet (in
     *                       use, or a privileged port without CAP_NET_BIND_SERVICE)
     */
    public void start(List<ListenAddress> addresses) throws BindException {
        for (ListenAddress address : addresses) {
            try {
                bind(address);
            } catch (AddressNotYetAvailable e) {
                log.warn("{} is not on any interface yet; retrying every {} s until it appears", address, RETRY_SECONDS);
                scheduleRetry(address);
            }
        }
    }

    /** Returns the number of TCP client connections open now. */
    public int openConnections() {
        return tcpStats.open();
    }

    /** Returns the TCP listener's counters (connections open and rejected, frame timeouts, back-pressure). */
    public TcpStats tcpStats() {
        return tcpStats;
    }

    /** Returns the local addresses of the bound sockets now (for {@code /healthz}). */
    public List<java.net.InetSocketAddress> boundAddresses() {
        List<java.net.InetSocketAddress> out = new java.util.ArrayList<>();
        for (Channel channel : channels) {
            if (channel.localAddress() instanceof java.net.InetSocketAddress local) {
                out.add(local);
            }
        }
        return out;
    }

    /** Returns the bound channels (for tests that listen on port 0). */
    public List<Channel> channels() {
        return List.copyOf(channels);
    }

    private void scheduleRetry(ListenAddress address) {
        // Not on an event loop: bind() waits for the bind futures, which an event loop must never do.
        retries.add(retrier().schedule(() -> {
            if (closed) {
                return;
            }
            try {
                bind(address);
                log.info("{} appeared; now listening on it", address);
            } catch (AddressNotYetAvailable e) {
                scheduleRetry(address);
            } catch (BindException | RuntimeException e) {
                log.error("cannot listen on {}: {}", address, e.getMessage());
            }
        }, RETRY_SECONDS, TimeUnit.SECONDS));
    }

    private synchronized java.util.concurrent.ScheduledExecutorService retrier() {
        if (retrier == null) {
            retrier = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("listen-retry").daemon().factory());
        }
        return retrier;
    }

    private void bind(ListenAddress address) throws BindException {
        boolean epoll = transport.name().equals("epoll");
        int udpSockets = epoll ? Math.max(1, executorCount()) : 1;
        Bootstrap udp = new Bootstrap()
                .group(transport.group())
                .channel(transport.datagram())
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Replies written while a burst of datagrams is read go out in one sendmmsg at its end.
                        ch.pipeline().addLast(new FlushConsolidationHandler(FLUSH_AFTER, true), udpHandler);
                    }
                });
        if (udpSockets > 1) {
            udp.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        if (epoll) {
            // recvmmsg: up to DATAGRAMS_PER_READ queries per system call, each up to MAX_QUERY bytes (larger
            // ones arrive cut, as in dnsmasq, whose query buffer is 4096 bytes too).
            udp.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_QUERY * DATAGRAMS_PER_READ));
        }
        ServerBootstrap tcpServer = new ServerBootstrap()
                .group(transport.group())
                .channel(transport.serverSocket())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Outside the ACL or over a cap: closed before any handler or slot is spent on it.
                        if (limiter.admit(ch)) {
                            ch.pipeline().addLast(new FlushConsolidationHandler(FLUSH_AFTER, true),
                                    new IdleStateHandler(0, 0, tcp.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                                    new TcpQueryHandler(dispatcher, tcp.frameTimeout().toNanos(), tcp.maxInflight(),
                                            tcpStats));
                        }
                    }
                });
        List<Channel> bound = new java.util.ArrayList<>();
        try {
            Channel first = await(udp.bind(address.socketAddress()), address, "UDP");
            bound.add(first);
            // Port 0 (tests): the other sockets must share the port the kernel picked.
            java.net.InetSocketAddress actual = (java.net.InetSocketAddress) first.localAddress();
            for (int i = 1; i < udpSockets; i++) {
                bound.add(await(udp.bind(actual), address, "UDP"));
            }
            bound.add(await(tcpServer.bind(actual), address, "TCP"));
        } catch (BindException | RuntimeException e) {
            bound.forEach(Channel::close);
            throw e;
        }
        channels.addAll(bound);
        // 127.0.0.1:53 and [::1]:53, not InetSocketAddress's "/127.0.0.1:53".
        log.info("listening on {} (UDP x{}, TCP)", NetUtil.toSocketAddressString((InetSocketAddress) bound.getFirst().localAddress()), udpSockets);
    }

    private int executorCount() {
        int n = 0;
        for (var ignored : transport.group()) {
            n++;
        }
        return n;
    }

    private static Channel await(ChannelFuture future, ListenAddress address, String what) throws BindException {
        future.awaitUninterruptibly();
        if (future.isSuccess()) {
            return future.channel();
        }
        Throwable cause = future.cause();
        String message = String.valueOf(cause.getMessage());
        if (message.contains("Cannot assign requested address")) {
            throw new AddressNotYetAvailable();
        }
        String hint = message.contains("ermission denied")
                ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)"
                : message.contains("in use") ? " (another DNS server, such as dnsmasq or systemd-resolved, holds it)" : "";
        BindException e = new BindException("cannot listen on " + what + " " + address + ": " + message + hint);
        e.initCause(cause);
        throw e;
    }

    /** Stops listening: closes every socket; queries in flight still complete. */
    public void stopListening() {
        closed = true;
        retries.forEach(r -> r.cancel(false));
        synchronized (this) {
            if (retrier != null) {
                retrier.shutdownNow();
            }
        }
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly();
        }
        channels.clear();
    }

    @Override
    public void close() {
        stopListening();
    }

    /** The address does not exist on this host (yet). */
    private static final class AddressNotYetAvailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AddressNotYetAvailable() {
            super(null, null, false, false);
        }
    }
}
