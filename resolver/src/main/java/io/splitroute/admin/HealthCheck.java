package io.splitroute.admin;

import io.splitroute.config.ListenAddress;
import io.splitroute.routing.RouteLists;
import io.splitroute.upstream.Upstream;
import io.splitroute.upstream.UpstreamGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decides what {@code /healthz} answers: healthy when every configured listen address is bound, every
 * configured list was loaded and no upstream group has all its bound servers failing; otherwise the reasons,
 * one per problem.
 */
public final class HealthCheck {
    private final List<ListenAddress> listen;
    private volatile Supplier<List<InetSocketAddress>> listening = () -> null;
    private volatile Supplier<RouteLists> lists = () -> null;
    private volatile Supplier<Map<String, Upstream>> upstreams = Map::of;

    /** @param listen the addresses the resolver should be listening on */
    public HealthCheck(List<ListenAddress> listen) {
        this.listen = List.copyOf(listen);
    }

    /**
     * Sets where the listeners' bound addresses and the loaded lists are read from (once they exist); either
     * supplier gives {@code null} while starting.
     */
    public void watch(Supplier<List<InetSocketAddress>> newListening, Supplier<RouteLists> newLists) {
        this.listening = newListening;
        this.lists = newLists;
    }

    /** Sets where the running upstream groups are read from (a reload replaces them). */
    public void watchUpstreams(Supplier<Map<String, Upstream>> groups) {
        this.upstreams = groups;
    }

    /** Returns the problems now: empty when healthy. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        List<InetSocketAddress> bound = listening.get();
        for (ListenAddress address : listen) {
            if (bound == null || bound.stream().noneMatch(local -> matches(local, address))) {
                problems.add("not listening on " + address + (bound == null ? " yet (starting)"
                        : " (waiting for the address to appear, or stopping; see the log)"));
            }
        }
        RouteLists loaded = lists.get();
        if (loaded == null) {
            problems.add("lists not loaded yet (starting)");
        } else {
            loaded.failures().forEach(failure -> problems.add("list " + failure));
        }
        for (Upstream group : upstreams.get().values()) {
            String failure = group instanceof UpstreamGroup g ? g.boundFailure() : null;
            if (failure != null) {
                problems.add(failure);
            }
        }
        return problems;
    }

    private static boolean matches(InetSocketAddress local, ListenAddress address) {
        return local.getAddress().equals(address.address()) && (address.port() == 0 || local.getPort() == address.port());
    }
}
