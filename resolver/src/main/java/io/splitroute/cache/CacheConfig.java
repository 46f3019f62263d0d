package io.splitroute.cache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The cache's config slice ({@code cache:}): how much it holds, how long answers live in it, how long past
 * expiry they may be served while the upstream fails, prefetching, and the file it is kept in across restarts.
 *
 * @param size           most entries kept, 0 to {@link #MAX_SIZE} (0: nothing is cached). Each entry counts as
 *                       at least {@code maxBytes / size} bytes against {@code maxBytes}, so both bounds hold
 * @param minTtl         lowest lifetime (seconds) an answer is cached for, 0 to {@link #MAX_TTL}
 * @param maxTtl         highest lifetime (seconds) an answer is cached for, not below {@code minTtl}
 * @param maxBytes       most heap the entries may take, in bytes, 0 to {@link #MAX_BYTES} (0: nothing is cached)
 * @param maxAnswerBytes the largest answer cached, as held in memory; a larger one is served, not cached
 * @param stale          how long past expiry an answer may be served when every upstream of its route fails
 *                       ({@link Duration#ZERO}: never), at most {@link #MAX_STALE}
 * @param prefetch       whether an entry asked for in the last tenth of its lifetime is refreshed in the background
 * @param persist        the file the cache is saved to on stop (and every few minutes) and read at start, or
 *                       {@code null} for none
 */
public record CacheConfig(long size, long minTtl, long maxTtl, long maxBytes, long maxAnswerBytes, Duration stale,
                          boolean prefetch, Path persist) {
    /** The most entries a cache may be given. */
    public static final long MAX_SIZE = 10_000_000;
    /** The longest TTL bound: a week. */
    public static final long MAX_TTL = 604_800;
    /** The most bytes a cache may be given: 4 GiB, far above any heap splitroute runs in. */
    public static final long MAX_BYTES = 4L << 30;
    /** The longest stale window: a week, RFC 8767's suggested cap. */
    public static final Duration MAX_STALE = Duration.ofDays(7);
    /**
     * The default byte bound: 12 MiB. The shipped heap ({@code -Xmx72m}, 60 MB of it old generation) holds about
     * 17 MB of live data with gfwlist and the china list, and about 37 MB while a reload builds the new rule table
     * beside the old one; 12 MiB of cache on top leaves room for the queries in flight and the collector.
     * 20 000 typical entries take about 9 MB, so {@code size} is usually the bound that binds.
     */
    public static final long DEFAULT_MAX_BYTES = 12L << 20;
    /** The default largest cached answer: 64 KiB in memory, about 900 addresses, far above any usual answer. */
    public static final long DEFAULT_MAX_ANSWER_BYTES = 64L << 10;
    /**
     * The default stale window: one day. RFC 8767 suggests one to three days; a day covers a tunnel or upstream
     * outage of a night, while an address older than that is more likely to have moved than to help.
     */
    public static final Duration DEFAULT_STALE = Duration.ofDays(1);
    /** The defaults: 20000 entries in 12 MiB, TTLs between 0 and 86400 seconds, a day of stale, no file. */
    public static final CacheConfig DEFAULT = new CacheConfig(20_000, 0, 86_400, DEFAULT_MAX_BYTES,
            DEFAULT_MAX_ANSWER_BYTES, DEFAULT_STALE, false, null);

    /** Checks the values; messages carry them. */
    public CacheConfig {
        Objects.requireNonNull(stale, "stale");
        if (size < 0 || size > MAX_SIZE || minTtl < 0 || maxTtl > MAX_TTL) {
            throw new IllegalArgumentException("size " + size + ", min-ttl " + minTtl + ", max-ttl " + maxTtl
                    + " out of range");
        }
        if (minTtl > maxTtl) {
            throw new IllegalArgumentException("min-ttl " + minTtl + " is above max-ttl " + maxTtl);
        }
        if (maxBytes < 0 || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException("max-bytes " + maxBytes + " is outside 0.." + MAX_BYTES);
        }
        if (maxAnswerBytes < 0 || maxAnswerBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("max-answer-bytes " + maxAnswerBytes + " is outside 0.."
                    + Integer.MAX_VALUE);
        }
        if (stale.isNegative() || stale.compareTo(MAX_STALE) > 0) {
            throw new IllegalArgumentException("stale " + stale.toSeconds() + " s is outside 0.." + MAX_STALE.toSeconds()
                    + " s (RFC 8767 suggests at most 7 days)");
        }
    }

    /** The defaults with other entry and TTL bounds (tests, embedding). */
    public CacheConfig(long size, long minTtl, long maxTtl) {
        this(size, minTtl, maxTtl, DEFAULT_MAX_BYTES, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_STALE, false, null);
    }

    /** Returns whether anything is cached at all. */
    public boolean enabled() {
        return size > 0 && maxBytes > 0;
    }

    /** Returns these limits with other byte bounds. */
    public CacheConfig withBytes(long newMaxBytes, long newMaxAnswerBytes) {
        return new CacheConfig(size, minTtl, maxTtl, newMaxBytes, newMaxAnswerBytes, stale, prefetch, persist);
    }

    /** Returns these limits with another stale window. */
    public CacheConfig withStale(Duration newStale) {
        return new CacheConfig(size, minTtl, maxTtl, maxBytes, maxAnswerBytes, newStale, prefetch, persist);
    }

    /** Returns these limits with prefetching on or off. */
    public CacheConfig withPrefetch(boolean on) {
        return new CacheConfig(size, minTtl, maxTtl, maxBytes, maxAnswerBytes, stale, on, persist);
    }

    /** Returns these limits with another cache file ({@code null}: none). */
    public CacheConfig withPersist(Path file) {
        return new CacheConfig(size, minTtl, maxTtl, maxBytes, maxAnswerBytes, stale, prefetch, file);
    }
}
