package io.splitroute.config;

/**
 * Cache limits ({@code cache:}).
 *
 * @param size   most entries kept, 0 to {@link #MAX_SIZE}
 * @param minTtl lowest TTL (seconds) an answer is cached for, 0 to {@link #MAX_TTL}
 * @param maxTtl highest TTL (seconds) an answer is cached for, 0 to {@link #MAX_TTL}, not below {@code minTtl}
 */
public record CacheConfig(long size, long minTtl, long maxTtl) {
    /** The defaults: 20000 entries, TTLs between 0 and 86400 seconds. */
    public static final CacheConfig DEFAULT = new CacheConfig(20_000, 0, 86_400);
    /** The most entries a cache may be given. */
    public static final long MAX_SIZE = 10_000_000;
    /** The longest TTL bound: a week. */
    public static final long MAX_TTL = 604_800;

    /** Checks the values; messages carry them. */
    public CacheConfig {
        if (size < 0 || size > MAX_SIZE || minTtl < 0 || maxTtl > MAX_TTL) {
            throw new IllegalArgumentException("size " + size + ", min-ttl " + minTtl + ", max-ttl " + maxTtl
                    + " out of range");
        }
        if (minTtl > maxTtl) {
            throw new IllegalArgumentException("min-ttl " + minTtl + " is above max-ttl " + maxTtl);
        }
    }
}
