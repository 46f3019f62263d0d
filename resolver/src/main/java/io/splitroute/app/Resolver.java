package io.splitroute.app;

import io.splitroute.admin.AdminSetup;
import io.splitroute.cache.CachePersistence;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.lists.update.ListRefresher;
import io.splitroute.net.NetTransport;
import io.splitroute.pipeline.ResponseCache;
import io.splitroute.routing.RouteLists;
import io.splitroute.routing.Routing;
import io.splitroute.server.DnsServer;
import io.splitroute.server.QueryDispatcher;
import io.splitroute.sets.SetMeters;
import io.splitroute.sets.SetTimeouts;
import io.splitroute.sets.SetWriteStage;
import io.splitroute.sets.TimedSetWriter;
import io.splitroute.upstream.Upstream;
import io.splitroute.upstream.UpstreamMeters;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The parts of one running resolver, as {@link ResolverAssembly} built them, and the swap of a reload. Parts
 * are set in start-up order; {@link #close} releases those that exist in reverse order, so a start that
 * failed half-way leaves nothing behind.
 */
public final class Resolver {
    volatile SplitrouteConfig config;
    AdminSetup admin;
    TimedSetWriter setWriter;
    SetMeters setMeters;
    UpstreamMeters upstreamMeters;
    NetTransport transport;
    volatile Map<String, Upstream> groups = Map.of();
    final AtomicReference<Routing> routing = new AtomicReference<>();
    volatile RouteLists lists;
    ResponseCache cache;
    CachePersistence persistence;
    SetWriteStage setWrites;
    QueryDispatcher dispatcher;
    DnsServer server;
    ListRefresher refresher;

    Resolver(SplitrouteConfig config) {
        this.config = config;
    }

    /**
     * Switches to a reload's compiled config in one atomic step. Queries already routed finish with the route
     * they were given; cache entries whose route is unchanged stay, the others are dropped; the meters follow.
     *
     * @return how many cache entries were dropped
     */
    int swap(Compiled next) {
        SplitrouteConfig newConfig = next.config();
        Routing nextRouting = next.routing();
        Routing before = routing.getAndSet(nextRouting);
        cache.reconfigure(newConfig.cache());
        setWrites.reconfigure(new SetTimeouts(newConfig.sets().timeout()), newConfig.sets().writeDeadline(),
                ResolverAssembly.addressFilter(newConfig));
        int dropped = cache.retainIf(key -> key.route() != null
                && nextRouting.sameRoute(before, key.name(), key.route()));
        config = newConfig;
        Map<String, Upstream> replaced = groups;
        groups = next.groups();
        lists = next.lists();
        admin.rebind(newConfig, next.groups(), next.lists());
        setWriter.useSets(newConfig.sets().sets());
        setWriter.writeDeadline(newConfig.sets().writeDeadline());
        setMeters.rebind(newConfig.sets().sets());
        upstreamMeters.rebind(next.groups());
        retire(replaced, next.groups());
        return dropped;
    }

    /**
     * Closes the groups of {@code before} that {@code now} does not run (a reload changed them): their
     * connections close once the queries on them are answered, those routed before the swap included.
     */
    private static void retire(Map<String, Upstream> before, Map<String, Upstream> now) {
        Set<Upstream> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(now.values());
        before.values().stream().filter(group -> !kept.contains(group)).forEach(Upstream::close);
    }

    /** Stops taking new work: the list refresher, then the listeners. Queries in flight still complete. */
    void stopListening() {
        if (refresher != null) {
            refresher.close();
        }
        if (server != null) {
            server.stopListening();
        }
    }

    /** Writes the cache to its file, when the config names one (a stop); a failure is logged, not thrown. */
    void saveCache() {
        java.nio.file.Path file = config.cache().persist();
        if (persistence != null && file != null) {
            persistence.saveLogged(file, false);
        }
    }

    /** Releases everything that exists, in reverse start-up order. */
    void close() {
        stopListening();
        if (persistence != null) {
            persistence.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (setWriter != null) {
            setWriter.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    /** Returns the config in service. */
    public SplitrouteConfig config() {
        return config;
    }

    /** Returns the routing in service. */
    public Routing routing() {
        return routing.get();
    }

    /** Returns the listeners. */
    public DnsServer server() {
        return server;
    }

    /** Returns the dispatcher. */
    public QueryDispatcher dispatcher() {
        return dispatcher;
    }

    /** Returns the admin side: meters, query log, admin listener. */
    public AdminSetup admin() {
        return admin;
    }

    /** Returns the response cache. */
    public ResponseCache cache() {
        return cache;
    }

    /** Returns the set write stage. */
    public SetWriteStage setWrites() {
        return setWrites;
    }
}
