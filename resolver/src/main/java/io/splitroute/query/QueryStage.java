package io.splitroute.query;

import java.util.concurrent.CompletableFuture;

/**
 * One stage of the query path. A stage answers the query itself or hands it to the next stage, and may act
 * on the way back. Stages never throw and never complete exceptionally: failures become rcodes
 * (the server still guards against a stage that breaks this rule).
 */
@FunctionalInterface
public interface QueryStage {
    /** Resolves the query. */
    CompletableFuture<Resolution> resolve(Query query);
}
