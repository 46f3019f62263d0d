/** Cached replies in wire form: normalised once, served with TTLs counted down by patching, keyed by {@link io.splitroute.cache.CacheKey}. */
package io.splitroute.cache;
