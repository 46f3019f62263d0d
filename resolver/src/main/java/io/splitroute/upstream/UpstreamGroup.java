package io.splitroute.upstream;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * A named, ordered list of servers that answers as one {@link Upstream}: each query tries the servers in the
 * configured order, every time (dnsmasq's {@code strict-order}: the first server is the preferred one, the
 * others are backups), moving to the next one when a server times out, cannot be reached, or answers
 * SERVFAIL or REFUSED.
 *
 * <p>The first other reply (NOERROR, NXDOMAIN, ...) is the answer. If no server gives one, the last SERVFAIL
 * or REFUSED reply received is returned (a real upstream verdict beats a made-up one); if there was none,
 * the query fails with {@link UpstreamException.Reason#ALL_FAILED}, each server's failure attached as a
 * suppressed exception. The worst case is therefore one attempt timeout per server (two for a UDP server
 * whose reply was truncated and whose TCP retry also times out).
 */
public final class UpstreamGroup implements Upstream {

    private final String name;
    private final List<Upstream> servers;
    private final Upstream bootstrap;

    /**
     * A group called {@code name} trying {@code servers} in this order.
     *
     * @throws IllegalArgumentException if {@code servers} is empty
     */
    public UpstreamGroup(String name, List<? extends Upstream> servers) {
        this(name, servers, null);
    }

    /** A group whose encrypted servers look their addresses up through {@code bootstrap} (may be null). */
    UpstreamGroup(String name, List<? extends Upstream> servers, Upstream bootstrap) {
        this.name = Objects.requireNonNull(name, "name");
        this.servers = List.copyOf(servers);
        this.bootstrap = bootstrap;
        if (this.servers.isEmpty()) {
            throw new IllegalArgumentException("upstream group '" + name + "' has no servers");
        }
    }

    /** The group's name, as configured ({@code "clean"}). */
    @Override
    public String name() {
        return name;
    }

    /** The servers, in the order they are tried. */
    public List<Upstream> servers() {
        return servers;
    }

    /**
     * The servers that look up the addresses of this group's encrypted servers given without {@code @IP}
     * (plain servers, bound like the group), or {@code null} when there are none.
     */
    public Upstream bootstrap() {
        return bootstrap;
    }

    /** Each server as the start-up log shows it ({@link ServerUpstream#describe()}), in the order tried. */
    public List<String> describe() {
        return servers.stream().map(s -> s instanceof ServerUpstream server ? server.describe() : s.name()).toList();
    }

    /** {@inheritDoc} Closes every server's connections (and the bootstrap servers') once their queries are answered. */
    @Override
    public void close() {
        servers.forEach(Upstream::close);
        if (bootstrap != null) {
            bootstrap.close();
        }
    }

    /** Each server's counters by server name ({@code udp://192.0.2.1:53}), in the order they are tried. */
    public Map<String, UpstreamStats> stats() {
        Map<String, UpstreamStats> stats = new LinkedHashMap<>();
        for (Upstream server : servers) {
            if (server instanceof ServerUpstream s) {
                stats.put(s.name(), s.stats());
            } // a nested group or a test double: no counters of its own
        }
        return stats;
    }

    /**
     * Whether every server of this group is bound (to an interface or a mark) and its latest query failed:
     * the group cannot answer, and must not be replaced by an unbound route (for {@code /healthz} and a
     * metric: "the tunnel's upstreams are unreachable"). False for a group with an unbound server, and
     * before any query. A server whose latest query failed because its interface was down counts as failing
     * only while the interface is still down (looked up now, in the caller's network namespace), so the
     * state clears when the tunnel comes back, before the next query.
     */
    public boolean boundAndFailing() {
        for (Upstream server : servers) {
            if (!(server instanceof ServerUpstream s) || !s.binding().isBound() || !failing(s)) {
                return false;
            }
        }
        return true;
    }

    /**
     * What {@code /healthz} says while {@link #boundAndFailing()}: {@code "upstream group clean: all servers
     * bound to wg0 are failing (interface down)"}; {@code null} otherwise.
     */
    public String boundFailure() {
        if (!boundAndFailing()) {
            return null;
        }
        Set<String> bindings = new LinkedHashSet<>();
        Set<String> kinds = new LinkedHashSet<>();
        for (Upstream server : servers) {
            ServerUpstream s = (ServerUpstream) server;
            SocketBinding binding = s.binding();
            bindings.add(binding.iface() != null ? binding.iface() : "mark 0x" + Long.toHexString(binding.mark()));
            UpstreamException.Reason reason = s.stats().lastFailure();
            kinds.add(reason == UpstreamException.Reason.INTERFACE_DOWN ? "interface down"
                    : reason == null ? "failing" : reason.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        return "upstream group " + name + ": all servers bound to " + String.join(", ", bindings)
                + " are failing (" + String.join(", ", kinds) + ")";
    }

    private static boolean failing(ServerUpstream server) {
        UpstreamStats stats = server.stats();
        if (stats.consecutiveFailures() == 0) {
            return false;
        }
        String iface = server.binding().iface();
        return stats.lastFailure() != UpstreamException.Reason.INTERFACE_DOWN || iface == null || !isUp(iface);
    }

    private static boolean isUp(String iface) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(iface);
            return nic != null && nic.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    /** {@inheritDoc} Tries the servers in order, as described for the class. */
    @Override
    public CompletableFuture<Message> query(Message query) {
        CompletableFuture<Message> result = new CompletableFuture<>();
        attempt(query, 0, null, new ArrayList<>(servers.size()), result);
        return result;
    }

    private void attempt(Message query, int index, Message lastError, List<Throwable> failures,
            CompletableFuture<Message> result) {
        if (index == servers.size()) {
            giveUp(lastError, failures, result);
            return;
        }
        servers.get(index).query(query).whenComplete((reply, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof UpstreamException u && u.reason() == UpstreamException.Reason.INVALID_QUERY) {
                    result.completeExceptionally(u); // the same query is no better at the next server
                    return;
                }
                failures.add(cause);
                attempt(query, index + 1, lastError, failures, result);
            } else if (isServerError(reply)) {
                attempt(query, index + 1, reply, failures, result);
            } else {
                result.complete(reply);
            }
        });
    }

    private void giveUp(Message lastError, List<Throwable> failures, CompletableFuture<Message> result) {
        if (lastError != null) {
            result.complete(lastError);
            return;
        }
        String why = failures.stream().map(Throwable::getMessage).collect(Collectors.joining("; "));
        UpstreamException all = new UpstreamException(UpstreamException.Reason.ALL_FAILED, name,
                "all " + servers.size() + " servers failed: " + why);
        failures.forEach(all::addSuppressed);
        result.completeExceptionally(all);
    }

    private static boolean isServerError(Message reply) {
        int rcode = reply.getRcode();
        return rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** The name and the servers, for logs. */
    @Override
    public String toString() {
        return name + servers;
    }
}
