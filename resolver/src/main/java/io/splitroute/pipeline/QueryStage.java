package io.splitroute.pipeline;

import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import java.util.concurrent.CompletableFuture;

/**
 * One stage of the query path. A stage answers the query itself or hands it to the next stage, and may act
 * on the way back. Stages never throw and never complete exceptionally: failures become rcodes
 * (the {@link io.splitroute.server.QueryDispatcher} still guards against a stage that breaks this rule).
 */
@FunctionalInterface
public interface QueryStage {
    /** Resolves the query. */
    CompletableFuture<Resolution> resolve(Query query);
}
