package io.splitroute.pipeline;

import io.splitroute.query.QueryStage;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.routing.Routing;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Decides the route of each query from the current rule table (most specific rule wins) and hands the
 * routed query on. The table is read through a supplier so a reload can swap it atomically.
 */
public final class ListRouter implements QueryStage {
    private final Supplier<Routing> routing;
    private final QueryStage next;

    /**
     * @param routing the current routing (rule table and route-to-upstream map)
     * @param next    the next stage
     */
    public ListRouter(Supplier<Routing> routing, QueryStage next) {
        this.routing = routing;
        this.next = next;
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        Route route = routing.get().route(query.name());
        return next.resolve(query.withRoute(route));
    }
}
