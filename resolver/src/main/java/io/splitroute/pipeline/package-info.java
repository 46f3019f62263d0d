/**
 * The stages of the query path that are not a feature of their own: {@link io.splitroute.pipeline.AccessControl},
 * {@link io.splitroute.pipeline.ChaosResponder}, {@link io.splitroute.pipeline.ListRouter},
 * {@link io.splitroute.pipeline.ResponseCache}, {@link io.splitroute.pipeline.AaaaFilter} and
 * {@link io.splitroute.pipeline.UpstreamForwarder} (which bounds the queries pending upstream; its meters are
 * {@link io.splitroute.pipeline.ForwarderMeters}). Each implements {@link io.splitroute.query.QueryStage};
 * {@code app.ResolverAssembly} orders them, with the set stage and the answer scrubber of {@code sets} among them.
 */
package io.splitroute.pipeline;
