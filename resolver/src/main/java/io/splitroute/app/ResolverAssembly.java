package io.splitroute.app;

import io.splitroute.config.SplitrouteConfig;
import io.splitroute.net.NetTransport;
import io.splitroute.pipeline.AaaaFilter;
import io.splitroute.pipeline.AccessControl;
import io.splitroute.pipeline.ChaosResponder;
import io.splitroute.pipeline.ListRouter;
import io.splitroute.pipeline.QueryStage;
import io.splitroute.pipeline.ResponseCache;
import io.splitroute.config.SetConfig;
import io.splitroute.query.Route;
import io.splitroute.query.Ticker;
import io.splitroute.sets.AnswerAddresses;
import io.splitroute.sets.Deadlines;
import io.splitroute.sets.SetTimeouts;
import io.splitroute.sets.SetWriteStage;
import java.util.List;
import java.util.function.UnaryOperator;
import io.splitroute.sink.SetWriter;
import io.splitroute.routing.Routing;
import io.splitroute.pipeline.UpstreamForwarder;
import io.splitroute.upstream.Upstream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place where the query path is built and its stages ordered. Nothing else constructs stages.
 */
public final class ResolverAssembly {
    private final AtomicReference<Routing> routing;
    private final ResponseCache cache;
    private final SetWriteStage setWrites;
    private final QueryStage pipeline;

    /**
     * Builds the pipeline.
     *
     * @param config    the config (ACL and cache limits are read here)
     * @param routing   the compiled routing, with its running upstream groups and sets
     * @param setWriter the kernel set writer
     * @param version   the version line {@code version.bind} answers
     */
    public ResolverAssembly(SplitrouteConfig config, Routing routing, SetWriter setWriter, String version) {
        this.routing = new AtomicReference<>(routing);
        UpstreamForwarder forwarder = new UpstreamForwarder();
        // Below the cache, so the cache keeps answers already stripped of IPv6 on routes that drop it.
        QueryStage aaaaFilter = new AaaaFilter(forwarder);
        // The cache sits below the router: its key includes the route, so one name routed two ways
        // (before and after a reload) never shares an entry.
        this.cache = new ResponseCache(config.cache(), Ticker.SYSTEM, AnswerAddresses::all, aaaaFilter);
        // Above the cache, so answers served from the cache refresh their set entries too.
        this.setWrites = new SetWriteStage(setWriter, new SetTimeouts(config.setTimeout()),
                config.setWriteDeadline(), Ticker.SYSTEM, Deadlines.JDK, cache);
        QueryStage router = new ListRouter(this.routing::get, setWrites);
        // CHAOS queries (version.bind, route explanations) are answered here and never forwarded.
        QueryStage chaos = new ChaosResponder(version, this.routing::get, router);
        // Access control first: a client outside the ACL costs nothing more than this check.
        this.pipeline = new AccessControl(config.acl(), chaos);
    }

    /** Returns the first stage of the query path. */
    public QueryStage pipeline() {
        return pipeline;
    }

    /** Returns the response cache (for metrics). */
    public ResponseCache cache() {
        return cache;
    }

    /** Returns the set write stage (for metrics). */
    public SetWriteStage setWrites() {
        return setWrites;
    }

    /** Returns the routing in use. */
    public Routing routing() {
        return routing.get();
    }

    /**
     * Switches to a new config's routing in one atomic step (a reload). Queries already routed finish with
     * the route they were given; cache entries whose route is unchanged stay, the others are dropped.
     *
     * @return how many cache entries were dropped
     */
    public int apply(SplitrouteConfig next, Routing nextRouting) {
        Routing before = routing.getAndSet(nextRouting);
        cache.reconfigure(next.cache());
        setWrites.reconfigure(new SetTimeouts(next.setTimeout()), next.setWriteDeadline());
        return cache.retainIf(key -> key.route() != null
                && nextRouting.sameRoute(before, key.name(), key.route()));
    }

    /**
     * Returns what binds each route of a routing snapshot to the running parts its names refer to: the upstream
     * group (for {@link UpstreamForwarder}) and the sets (for {@link SetWriteStage}).
     */
    public static UnaryOperator<Route> bind(Map<String, Upstream> groups, Map<String, SetConfig> sets) {
        return route -> {
            Route bound = route;
            Upstream group = groups.get(route.upstream());
            if (group != null) {
                bound = bound.with(UpstreamForwarder.GROUP, group);
            }
            if (!route.sets().isEmpty()) {
                List<SetConfig> configured = route.sets().stream().map(sets::get).toList();
                bound = bound.with(SetWriteStage.SETS, configured);
            }
            return bound;
        };
    }

    /** Creates the upstream groups of a config. */
    public static Map<String, Upstream> upstreams(SplitrouteConfig config, NetTransport transport) {
        return upstreams(config, transport, null, Map.of());
    }

    /**
     * Creates the upstream groups of a config, reusing the running group of a name whose servers and
     * timeout are unchanged (its TCP connections stay open).
     */
    public static Map<String, Upstream> upstreams(SplitrouteConfig config, NetTransport transport,
                                                  SplitrouteConfig before, Map<String, Upstream> running) {
        io.splitroute.upstream.UpstreamOptions options = new io.splitroute.upstream.UpstreamOptions(
                config.upstreamTimeout(), transport, java.nio.file.Path.of("/etc/resolv.conf"));
        io.splitroute.upstream.UpstreamFactory factory = new io.splitroute.upstream.UpstreamFactory();
        Map<String, Upstream> groups = new java.util.LinkedHashMap<>();
        config.upstreams().forEach((name, specs) -> {
            boolean same = before != null && running.containsKey(name) && specs.equals(before.upstreams().get(name))
                    && config.upstreamTimeout().equals(before.upstreamTimeout());
            groups.put(name, same ? running.get(name) : factory.group(name, specs, options));
        });
        return groups;
    }
}
