package io.splitroute.admin;

import io.netty.channel.Channel;
import io.splitroute.config.ListenAddress;
import io.splitroute.routing.RouteLists;
import io.splitroute.server.DnsServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decides what {@code /healthz} answers: healthy when every configured listen address is bound and every
 * configured list was loaded; otherwise the reasons, one per problem.
 */
public final class HealthCheck {
    private final List<ListenAddress> listen;
    private volatile Supplier<DnsServer> server = () -> null;
    private volatile Supplier<RouteLists> lists = () -> null;

    /** @param listen the addresses the resolver should be listening on */
    public HealthCheck(List<ListenAddress> listen) {
        this.listen = List.copyOf(listen);
    }

    /** Sets where the listeners and the loaded lists are read from (once they exist). */
    public void watch(Supplier<DnsServer> newServer, Supplier<RouteLists> newLists) {
        this.server = newServer;
        this.lists = newLists;
    }

    /** Returns the problems now: empty when healthy. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        DnsServer dns = server.get();
        List<Channel> bound = dns == null ? List.of() : dns.channels();
        for (ListenAddress address : listen) {
            if (bound.stream().noneMatch(channel -> matches(channel, address))) {
                problems.add("not listening on " + address + (dns == null ? " yet (starting)"
                        : " (waiting for the address to appear, or stopping; see the log)"));
            }
        }
        RouteLists loaded = lists.get();
        if (loaded == null) {
            problems.add("lists not loaded yet (starting)");
        } else {
            loaded.failures().forEach(failure -> problems.add("list " + failure));
        }
        return problems;
    }

    private static boolean matches(Channel channel, ListenAddress address) {
        if (!(channel.localAddress() instanceof InetSocketAddress local)) {
            return false;
        }
        return local.getAddress().equals(address.address()) && (address.port() == 0 || local.getPort() == address.port());
    }
}
