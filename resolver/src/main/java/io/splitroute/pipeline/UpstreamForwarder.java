package io.splitroute.pipeline;

import io.splitroute.query.QueryStage;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.Source;
import io.splitroute.upstream.Upstream;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a routed query to its route's upstream group; a failure becomes SERVFAIL. The last stage. The group is
 * the one the routing snapshot that routed the query bound to the route's group name ({@link #GROUP}), so a
 * reload during the query never sends it to the new routing's servers.
 */
public final class UpstreamForwarder implements QueryStage {
    /** The route part this stage reads: the running upstream group the route names. */
    public static final Route.Key<Upstream> GROUP = Route.Key.named("upstream group");

    private static final Logger log = LoggerFactory.getLogger(UpstreamForwarder.class);

    /** Creates the forwarder; the upstream group comes with each query's route. */
    public UpstreamForwarder() {
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        String name = query.route().upstream();
        Upstream upstream = query.route().part(GROUP);
        if (upstream == null) {
            log.error("route {} names upstream group {} which does not exist", query.route().name(), name);
            return CompletableFuture.completedFuture(Resolution.servfail(query));
        }
        return upstream.query(query.message())
                .thenApply(reply -> new Resolution(reply, Source.UPSTREAM, query.route(), name, null))
                .exceptionally(error -> {
                    log.debug("upstream {} failed for {}: {}", name, query.question(), error.toString());
                    return Resolution.servfail(query).withUpstream(name);
                });
    }
}
