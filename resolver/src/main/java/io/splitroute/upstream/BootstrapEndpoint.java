package io.splitroute.upstream;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The address of an encrypted server given by name only ({@code tls://dns.example.net}), looked up through
 * the plain {@code bootstrap} servers, never through splitroute itself: A first, AAAA if there is no A. The
 * answer is kept (a server's address rarely moves) and looked up again after a connection to it failed, at
 * most once per {@link #RETRY_NANOS}. A lookup in progress is shared by every caller.
 */
final class BootstrapEndpoint implements Endpoint {

    /** At most one new lookup per 5 s after failures: a dead server must not flood the bootstrap servers. */
    static final long RETRY_NANOS = 5_000_000_000L;

    private final String host;
    private final int port;
    private final Upstream bootstrap;
    private final String server;
    private CompletableFuture<InetSocketAddress> current;
    private long lookedUpAt;
    private boolean stale;

    /**
     * @param server    the server's name, for errors
     * @param bootstrap the plain servers that resolve {@code host}
     */
    BootstrapEndpoint(String server, String host, int port, Upstream bootstrap) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.bootstrap = bootstrap;
    }

    @Override
    public synchronized CompletableFuture<InetSocketAddress> address() {
        boolean failedLookup = current != null && current.isCompletedExceptionally();
        if (current == null || ((stale || failedLookup) && System.nanoTime() - lookedUpAt >= RETRY_NANOS)) {
            lookedUpAt = System.nanoTime();
            stale = false;
            current = lookUp(Type.A).thenCompose(v4 -> v4.isEmpty() ? lookUp(Type.AAAA) : CompletableFuture.completedFuture(v4))
                    .thenApply(addresses -> {
                        if (addresses.isEmpty()) {
                            throw new UpstreamException(UpstreamException.Reason.UNREACHABLE, server,
                                    "bootstrap servers " + bootstrap.name() + " found no address for " + host);
                        }
                        return new InetSocketAddress(addresses.getFirst(), port);
                    });
        }
        return current;
    }

    @Override
    public synchronized void failed(InetSocketAddress address) {
        stale = true;
    }

    private CompletableFuture<List<InetAddress>> lookUp(int type) {
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(host + "."), type, DClass.IN));
        } catch (TextParseException e) {
            return CompletableFuture.failedFuture(e);
        }
        return bootstrap.query(query).handle((reply, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
                throw new UpstreamException(UpstreamException.Reason.UNREACHABLE, server, "cannot look up " + host
                        + " through the bootstrap servers: " + cause.getMessage(), cause);
            }
            if (reply.getRcode() != Rcode.NOERROR) {
                throw new UpstreamException(UpstreamException.Reason.UNREACHABLE, server, "bootstrap lookup of " + host
                        + " answered " + Rcode.string(reply.getRcode()));
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (Record record : reply.getSection(Section.ANSWER)) {
                if (record instanceof ARecord a) {
                    addresses.add(a.getAddress());
                } else if (record instanceof AAAARecord aaaa) {
                    addresses.add(aaaa.getAddress());
                }
            }
            return addresses;
        });
    }
}
