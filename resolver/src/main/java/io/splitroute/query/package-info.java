/**
 * The immutable values that travel the query path: {@link io.splitroute.query.Query} in, {@link
 * io.splitroute.query.Resolution} out, with provenance; the {@link io.splitroute.query.Route} a query was
 * routed with; the wire-format readers the hot path shares. A leaf: it depends on no other package of the
 * resolver (an architecture test keeps it so).
 */
package io.splitroute.query;
