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
public final class TcpUpstream implements Upstream {

    private final UpstreamAddress address;
    /** {@code address.uri()}, made once: it names the upstream in every query's stats and errors. */
    private final String name;
    private final UpstreamStats stats = new UpstreamStats();
    private final TcpConnections connections;

    /** A TCP upstream for {@code server} (an IP address and port). */
    public TcpUpstream(InetSocketAddress server, UpstreamOptions options) {
        this.address = new UpstreamAddress(UpstreamAddress.Protocol.TCP, server);
        this.name = address.uri();
        Objects.requireNonNull(options, "options");
        this.connections = new TcpConnections(server, name, options, stats);
    }

    /** {@code tcp://IP:PORT}. */
    @Override
    public String name() {
        return name;
    }

    /** The server's address. */
    public UpstreamAddress address() {
        return address;
    }

    /** This server's counters. */
    public UpstreamStats stats() {
        return stats;
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
        stats.track(result, start);
        return result;
    }

    /** {@link #name()}. */
    @Override
    public String toString() {
        return name();
    }
}
