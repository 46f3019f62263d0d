package io.splitroute.sets;

import java.time.Duration;

/**
 * The timeout of a set element: the record's remaining TTL, or the cache's remaining lifetime if that is
 * longer (so an entry never expires while the cache still serves the name), plus a grace, clamped.
 */
public final class SetTimeouts {
    private final long min;
    private final long max;
    private final long grace;

    /** @param bounds the configured bounds and grace */
    public SetTimeouts(SetTimeout bounds) {
        this.min = bounds.min().toSeconds();
        this.max = bounds.max().toSeconds();
        this.grace = bounds.grace().toSeconds();
    }

    /**
     * Returns the timeout for an element.
     *
     * @param ttl           the record's TTL as stored, in seconds
     * @param age           how long the answer has been cached, in seconds
     * @param cacheLifetime how long the cache keeps the answer in all, in seconds
     */
    public Duration timeout(long ttl, long age, long cacheLifetime) {
        long remaining = Math.max(Math.max(0, ttl - age), Math.max(0, cacheLifetime - age));
        return Duration.ofSeconds(Math.clamp(remaining + grace, min, max));
    }
}
