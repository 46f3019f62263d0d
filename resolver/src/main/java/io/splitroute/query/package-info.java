/** The immutable values that travel the query path: {@link io.splitroute.query.Query} in, {@link io.splitroute.query.Resolution} out, with provenance. */
package io.splitroute.query;
