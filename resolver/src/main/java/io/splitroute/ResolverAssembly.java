package io.splitroute;

import io.splitroute.config.SplitrouteConfig;
import io.splitroute.net.NetTransport;
import io.splitroute.config.SetConfig;
import io.splitroute.pipeline.AaaaFilter;
import io.splitroute.pipeline.AccessControl;
import io.splitroute.pipeline.ChaosResponder;
import io.splitroute.pipeline.ListRouter;
import io.splitroute.pipeline.QueryStage;
import io.splitroute.pipeline.ResponseCache;
import io.splitroute.pipeline.SetWriteStage;
import io.splitroute.sets.SetTimeouts;
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
    private final AtomicReference<Map<String, Upstream>> upstreams;
    private final AtomicReference<Map<String, SetConfig>> sets;
    private final ResponseCache cache;
    private final SetWriteStage setWrites;
    private final QueryStage pipeline;

    /**
     * Builds the pipeline.
     *
     * @param config    the config (ACL and cache limits are read here)
     * @param routing   the compiled routing
     * @param upstreams the upstream groups by name
     */
    public ResolverAssembly(SplitrouteConfig config, Routing routing, Map<String, Upstream> upstreams,
                            SetWriter setWriter) {
        this.routing = new AtomicReference<>(routing);
        this.upstreams = new AtomicReference<>(Map.copyOf(upstreams));
        this.sets = new AtomicReference<>(config.sets());
        UpstreamForwarder forwarder = new UpstreamForwarder(this.upstreams::get);
        // Below the cache, so the cache keeps answers already stripped of IPv6 on routes that drop it.
        QueryStage aaaaFilter = new AaaaFilter(forwarder);
        // The cache sits below the router: its key includes the route, so one name routed two ways
        // (before and after a reload) never shares an entry.
        this.cache = new ResponseCache(config.cache(), aaaaFilter);
        // Above the cache, so answers served from the cache refresh their set entries too.
        this.setWrites = new SetWriteStage(this.sets::get, setWriter, new SetTimeouts(config.setTimeout()),
                config.setWriteDeadline(), cache);
        QueryStage router = new ListRouter(this.routing::get, setWrites);
        // CHAOS queries (version.bind, route explanations) are answered here and never forwarded.
        QueryStage chaos = new ChaosResponder(this.routing::get, router);
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

    /** Creates the upstream groups of a config. */
    public static Map<String, Upstream> upstreams(SplitrouteConfig config, NetTransport transport) {
        io.splitroute.upstream.UpstreamOptions options = new io.splitroute.upstream.UpstreamOptions(
                config.upstreamTimeout(), transport, java.nio.file.Path.of("/etc/resolv.conf"));
        io.splitroute.upstream.UpstreamFactory factory = new io.splitroute.upstream.UpstreamFactory();
        Map<String, Upstream> groups = new java.util.LinkedHashMap<>();
        config.upstreams().forEach((name, specs) -> groups.put(name, factory.group(name, specs, options)));
        return groups;
    }
}
