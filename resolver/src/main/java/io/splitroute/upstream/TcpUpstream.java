package io.splitroute.upstream;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * One DNS server spoken to over TCP ({@code tcp://IP:PORT}): a fresh random ID per query, 2-byte length
 * framing, the reply accepted only with the same ID and question. Connections are reused and pipelined, one
 * per event loop, closed after 10 s idle (see {@link TcpConnections}); a new connection's connect and the
 * reply together must fit in the attempt timeout.
 */
public final class TcpUpstream implements ServerUpstream {

    private final UpstreamAddress address;
    private final ServerSpec spec;
    /** {@code spec.uri()}, made once: it names the upstream in every query's stats and errors. */
    private final String name;
    private final SocketBinding binding;
    private final UpstreamStats stats = new UpstreamStats();
    private final TcpConnections connections;

    /** A TCP upstream for {@code server} (an IP address and port), not bound. */
    public TcpUpstream(InetSocketAddress server, UpstreamOptions options) {
        this(ServerSpec.of(new UpstreamAddress(UpstreamAddress.Protocol.TCP, server)), SocketBinding.NONE, options);
    }

    /**
     * A TCP upstream for {@code spec} (a {@code tcp://} server) whose sockets carry {@code binding} (the
     * group's, with the server's own {@code @IFACE} in place of the group's interface).
     */
    public TcpUpstream(ServerSpec spec, SocketBinding binding, UpstreamOptions options) {
        if (spec.protocol() != ServerSpec.Protocol.TCP) {
            throw new IllegalArgumentException("not a tcp:// server: " + spec);
        }
        Objects.requireNonNull(options, "options");
        this.spec = spec;
        this.address = new UpstreamAddress(UpstreamAddress.Protocol.TCP, spec.socketAddress());
        this.name = spec.uri();
        this.binding = binding.withInterface(spec.iface());
        this.connections = new TcpConnections(address.address(), name, Dialer.plain(options, this.binding, stats), stats);
    }

    /** {@code tcp://IP:PORT}, or {@code tcp://IP:PORT@IFACE} when the URI binds it. */
    @Override
    public String name() {
        return name;
    }

    /** The server's address. */
    public UpstreamAddress address() {
        return address;
    }

    /** This server's counters. */
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

    /** {@inheritDoc} Its connections close once their queries are answered. */
    @Override
    public void close() {
        connections.close();
    }

    /** {@inheritDoc} */
    @Override
    public CompletableFuture<Message> query(Message query) {
        if (query.getQuestion() == null) {
            return CompletableFuture.failedFuture(new UpstreamException(UpstreamException.Reason.INVALID_QUERY,
                    name(), "query " + query.getHeader().getID() + " has no question"));
        }
        stats.countQuery();
        long start = System.nanoTime();
        CompletableFuture<Message> result = connections.send(query);
        return stats.track(result, start);
    }

    /** {@link #name()}. */
    @Override
    public String toString() {
        return name();
    }
}
