package io.splitroute.upstream;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * One DNS server spoken to over UDP ({@code udp://IP:PORT}), with an automatic retry over TCP when the reply
 * is truncated.
 *
 * <p>Every query goes out under a fresh {@link java.security.SecureRandom} ID from a fresh socket bound to
 * port 0 (the kernel picks a random ephemeral port), closed when the query ends. A datagram is accepted only
 * if it comes from the server's address and port and carries the query's ID and question; anything else is
 * dropped, counted in {@link UpstreamStats#droppedReplies()}, and the query keeps waiting for the real reply
 * until its timeout. A reply with TC=1 is asked again over TCP (new ID, same server, a fresh attempt
 * timeout), and the TCP reply is returned.
 *
 * <p>The socket is deliberately not connected, so that forged replies reach this code and are counted; the
 * price is that an ICMP port-unreachable is not seen, so a closed port costs a timeout, not an instant error.
 */
public final class UdpUpstream implements ServerUpstream {

    /** Receive buffer per datagram: any UDP message fits, so a reply is never cut by the socket read. */
    private static final int MAX_DATAGRAM = 0xFFFF;
    private static final FixedRecvByteBufAllocator RECEIVE = new FixedRecvByteBufAllocator(MAX_DATAGRAM);
    /** Port 0 on the wildcard address: the kernel picks a random ephemeral port for each query's socket. */
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(0);

    private final UpstreamAddress address;
    private final ServerSpec spec;
    /** {@code spec.uri()}, made once: it names the upstream in every query's stats and errors. */
    private final String name;
    private final UpstreamOptions options;
    private final SocketBinding binding;
    private final UpstreamStats stats = new UpstreamStats();
    private final TcpConnections tcp;
    private final ChannelFactory<? extends DatagramChannel> channels;

    /** A UDP upstream for {@code server} (an IP address and port), not bound. */
    public UdpUpstream(InetSocketAddress server, UpstreamOptions options) {
        this(ServerSpec.of(new UpstreamAddress(UpstreamAddress.Protocol.UDP, server)), SocketBinding.NONE, options);
    }

    /**
     * A UDP upstream for {@code spec} (a {@code udp://} server) whose sockets carry {@code binding} (the
     * group's, with the server's own {@code @IFACE} in place of the group's interface).
     */
    public UdpUpstream(ServerSpec spec, SocketBinding binding, UpstreamOptions options) {
        if (spec.protocol() != ServerSpec.Protocol.UDP) {
            throw new IllegalArgumentException("not a udp:// server: " + spec);
        }
        this.spec = spec;
        this.address = new UpstreamAddress(UpstreamAddress.Protocol.UDP, spec.socketAddress());
        this.name = spec.uri();
        this.options = Objects.requireNonNull(options, "options");
        this.binding = binding.withInterface(spec.iface());
        this.tcp = new TcpConnections(address.address(), name, Dialer.plain(options, this.binding, stats), stats);
        this.channels = new ReflectiveChannelFactory<>(options.transport().datagram());
    }

    /** {@code udp://IP:PORT}, or {@code udp://IP:PORT@IFACE} when the URI binds it. */
    @Override
    public String name() {
        return name;
    }

    /** The server's address. */
    public UpstreamAddress address() {
        return address;
    }

    /** This server's counters (its TCP retries included). */
    @Override
    public UpstreamStats stats() {
        return stats;
    }

    @Override
    public ServerSpec spec() {
        return spec;
    }

    @Override
    public SocketBinding binding() {
        return binding;
    }

    /** {@inheritDoc} Its TCP connections (for truncated replies) close once their queries are answered. */
    @Override
    public void close() {
        tcp.close();
    }

    /** {@inheritDoc} */
    @Override
    public CompletableFuture<Message> query(Message query) {
        UpstreamQuery first;
        try {
            first = UpstreamQuery.of(query);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(
                    new UpstreamException(UpstreamException.Reason.INVALID_QUERY, name(), e.getMessage()));
        }
        stats.countQuery();
        long start = System.nanoTime();
        CompletableFuture<Message> result = new CompletableFuture<>();
        send(first).whenComplete((reply, error) -> {
            if (error != null) {
                result.completeExceptionally(unwrap(error));
            } else if (reply.getHeader().getFlag(Flags.TC)) {
                stats.countTcRetry();
                tcp.send(query).whenComplete((full, tcpError) -> {
                    if (tcpError != null) {
                        result.completeExceptionally(unwrap(tcpError));
                    } else {
                        result.complete(full);
                    }
                });
            } else {
                result.complete(reply);
            }
        });
        return stats.track(result, start);
    }

    private CompletableFuture<Message> send(UpstreamQuery query) {
        EventLoop loop = EventLoops.pick(options.transport().group());
        PendingReply pending = new PendingReply(query, name(), stats);
        pending.runOn(loop, () -> start(loop, pending));
        return pending.future();
    }

    private void start(EventLoop loop, PendingReply pending) {
        UpstreamException down = ServerUpstream.interfaceDown(binding, name);
        if (down != null) {
            pending.fail(down);
            return;
        }
        pending.startTimer(loop, options.attemptTimeout());
        InetSocketAddress server = address.address();
        // The channel is made by hand, not by a Bootstrap: one per query, and a Bootstrap copies its option
        // and attribute maps and looks up the channel's constructor on every bind.
        DatagramChannel channel;
        try {
            channel = channels.newChannel();
        } catch (RuntimeException e) {
            pending.fail(unreachable("cannot open a UDP socket", e));
            return;
        }
        try {
            binding.apply(channel);
        } catch (RuntimeException e) {
            channel.unsafe().closeForcibly();
            pending.fail(unreachable("cannot bind the UDP socket", e));
            return;
        }
        channel.config().setRecvByteBufAllocator(RECEIVE);
        channel.pipeline().addLast(new UdpReplyHandler(pending, server));
        loop.register(channel).addListener((ChannelFuture registered) -> {
            if (!registered.isSuccess()) {
                channel.unsafe().closeForcibly();
                pending.fail(unreachable("cannot open a UDP socket", registered.cause()));
                return;
            }
            pending.attach(channel);
            channel.bind(ANY_PORT).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    pending.fail(unreachable("cannot open a UDP socket", f.cause()));
                    return;
                }
                channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(pending.query().wire()), server))
                        .addListener(w -> {
                            if (!w.isSuccess()) {
                                pending.fail(unreachable("cannot send", w.cause()));
                            }
                        });
            });
        });
    }

    private UpstreamException unreachable(String what, Throwable cause) {
        return new UpstreamException(UpstreamException.Reason.UNREACHABLE, name(), what + ": " + cause.getMessage(), cause);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** {@link #name()}. */
    @Override
    public String toString() {
        return name();
    }
}
