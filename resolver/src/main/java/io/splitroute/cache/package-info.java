/**
 * The response cache: replies kept in wire form ({@link io.splitroute.cache.CachedReply}, served with TTLs counted
 * down by patching), keyed by {@link io.splitroute.cache.CacheKey}, bounded in bytes ({@link
 * io.splitroute.cache.ReplyCache}, {@link io.splitroute.cache.EntryWeigher}), served stale when the upstream fails
 * ({@link io.splitroute.cache.StaleReply}), and kept across restarts in a file ({@link
 * io.splitroute.cache.CachePersistence}). The stage that uses it is {@code pipeline.ResponseCache}.
 */
package io.splitroute.cache;
