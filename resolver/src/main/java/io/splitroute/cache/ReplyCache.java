package io.splitroute.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import io.splitroute.query.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The cached replies: bounded by the heap they take ({@code max-bytes}, each entry weighed by {@link EntryWeigher})
 * and by their number ({@code size}); each kept for its lifetime and then, while it may be served stale, for the
 * stale window. Answers larger than {@code max-answer-bytes} are not kept (and counted). Time is the injected
 * {@link Ticker}'s.
 *
 * <p>A hit on an entry whose use was recorded less than {@value #RECORD_EVERY_MILLIS} ms ago is read quietly:
 * counted as a hit, but not handed to the eviction policy again. Recording a use (a read buffer, then a
 * maintenance pass over the frequency sketch and the LRU lists) cost a cache hit more than the lookup itself;
 * once per entry every {@value #RECORD_EVERY_MILLIS} ms keeps a hot entry hot (the policy's frequency counters
 * stop at 15 anyway) and records every use of the rest.
 */
public final class ReplyCache {
    /**
     * The longest a negative answer (NXDOMAIN, NODATA) is served stale: three hours, RFC 2308's ceiling for
     * negative caching. A name that did not exist may have been created since; an address, once answered, rarely
     * stops working in a day.
     */
    static final long NEGATIVE_STALE_MAX_SECONDS = 3 * 3600;
    /** The most often one entry's use is recorded for the eviction policy. */
    static final long RECORD_EVERY_MILLIS = 100;
    private static final long RECORD_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(RECORD_EVERY_MILLIS);

    private final Cache<CacheKey, CachedReply> cache;
    private final EntryWeigher weigher;
    private final Ticker ticker;
    /** Caffeine's statistics, also given the hits read quietly. */
    private final StatsCounter stats = new ConcurrentStatsCounter();
    private volatile CacheConfig config;
    private final LongAdder oversized = new LongAdder();
    private final LongAdder staleServed = new LongAdder();
    private final LongAdder prefetches = new LongAdder();

    /**
     * @param config the limits
     * @param ticker the clock entries expire by
     */
    public ReplyCache(CacheConfig config, Ticker ticker) {
        this.config = config;
        this.ticker = ticker;
        this.weigher = new EntryWeigher(floor(config));
        this.cache = Caffeine.newBuilder()
                .maximumWeight(config.maxBytes())
                .weigher(weigher)
                .ticker(ticker::nanos)
                // Maintenance on the calling thread: waking ForkJoinPool workers per drain costs a hit more.
                .executor(Runnable::run)
                .expireAfter(new UntilStaleEnds())
                .recordStats(() -> stats)
                .build();
    }

    /** The least an entry weighs, so that {@code size} entries fill {@code max-bytes}. */
    private static int floor(CacheConfig config) {
        return config.size() == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, config.maxBytes() / config.size());
    }

    /** Returns the entry for {@code key}, fresh or within its stale window, or {@code null}; counted as a lookup. */
    public CachedReply get(CacheKey key) {
        return get(key, ticker.nanos());
    }

    /** Returns the entry for {@code key} as {@link #get(CacheKey)} does, at {@code nowNanos} (the ticker read by the caller). */
    public CachedReply get(CacheKey key, long nowNanos) {
        CachedReply found = cache.policy().getIfPresentQuietly(key);
        if (found != null && !found.useToRecord(nowNanos, RECORD_EVERY_NANOS)) {
            stats.recordHits(1);
            return found;
        }
        return cache.getIfPresent(key);
    }

    /** Returns the entry for {@code key} like {@link #get}, without counting a lookup or touching its recency. */
    public CachedReply peek(CacheKey key) {
        return cache.policy().getIfPresentQuietly(key);
    }

    /**
     * Keeps {@code reply} under {@code key} unless it has no lifetime, nothing is cached, or it is larger than
     * {@code max-answer-bytes} (counted in {@link #oversized()}).
     *
     * @return whether it was kept
     */
    public boolean put(CacheKey key, CachedReply reply) {
        CacheConfig limits = config;
        if (reply.lifetimeSeconds() <= 0 || !limits.enabled()) {
            return false;
        }
        if (EntryWeigher.bytes(key, reply) > limits.maxAnswerBytes()) {
            oversized.increment();
            return false;
        }
        cache.put(key, reply);
        return true;
    }

    /** Replaces the entry of {@code key} by {@code next} only if it is still {@code expected}. */
    public boolean replace(CacheKey key, CachedReply expected, CachedReply next) {
        return cache.asMap().replace(key, expected, next);
    }

    /**
     * Returns how long past its lifetime {@code reply} may be served stale, in seconds: {@code stale}, and for a
     * negative answer no longer than its own lifetime nor {@value #NEGATIVE_STALE_MAX_SECONDS} seconds.
     */
    public long staleSeconds(CachedReply reply) {
        long stale = config.stale().toSeconds();
        return reply.negative() ? Math.min(stale, Math.min(reply.lifetimeSeconds(), NEGATIVE_STALE_MAX_SECONDS)) : stale;
    }

    /** Returns whether {@code reply}, expired, may still be served stale at {@code nowNanos}. */
    public boolean servableStale(CachedReply reply, long nowNanos) {
        long end = reply.storedNanos() + TimeUnit.SECONDS.toNanos(reply.lifetimeSeconds() + staleSeconds(reply));
        return nowNanos - end < 0;
    }

    /** Returns the limits in force. */
    public CacheConfig config() {
        return config;
    }

    /**
     * Applies new limits (a reload): the byte bound, prefetch and a shorter stale window at once; the entry
     * floor, the TTL bounds and a longer stale window to entries cached from now on.
     */
    public void reconfigure(CacheConfig newLimits) {
        this.config = newLimits;
        weigher.floor(floor(newLimits));
        cache.policy().eviction().ifPresent(e -> e.setMaximum(newLimits.maxBytes()));
        if (!newLimits.enabled()) {
            clear();
        }
    }

    /** Removes every entry. */
    public void clear() {
        cache.invalidateAll();
    }

    /** Drops every entry whose key fails {@code keep}; returns how many were dropped. */
    public int retainIf(Predicate<CacheKey> keep) {
        AtomicInteger dropped = new AtomicInteger();
        cache.asMap().keySet().removeIf(key -> {
            boolean drop = !keep.test(key);
            if (drop) {
                dropped.incrementAndGet();
            }
            return drop;
        });
        return dropped.get();
    }

    /** Calls {@code action} for every entry (fresh or stale), as the cache holds them now. */
    public void forEach(BiConsumer<CacheKey, CachedReply> action) {
        cache.asMap().forEach(action);
    }

    /** Returns the weight of the entries, in bytes (entries below the floor count as the floor). */
    public long weight() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** Returns how many entries there are (an estimate, as Caffeine gives it). */
    public long entries() {
        return cache.estimatedSize();
    }

    /** Returns how many answers were not cached because they were larger than {@code max-answer-bytes}. */
    public long oversized() {
        return oversized.sum();
    }

    /** Counts an answer served stale. */
    public void countStale() {
        staleServed.increment();
    }

    /** Returns how many answers were served stale. */
    public long staleServed() {
        return staleServed.sum();
    }

    /** Counts a prefetch started. */
    public void countPrefetch() {
        prefetches.increment();
    }

    /** Returns how many prefetches were started. */
    public long prefetches() {
        return prefetches.sum();
    }

    /** Returns the underlying cache, for its meters. */
    public Cache<CacheKey, CachedReply> caffeine() {
        return cache;
    }

    /** Each entry lives for its lifetime plus its stale window, counted from when it was stored. */
    private final class UntilStaleEnds implements Expiry<CacheKey, CachedReply> {
        @Override
        public long expireAfterCreate(CacheKey key, CachedReply value, long currentTime) {
            long end = value.storedNanos() + TimeUnit.SECONDS.toNanos(value.lifetimeSeconds() + staleSeconds(value));
            return Math.max(0, end - currentTime);
        }

        @Override
        public long expireAfterUpdate(CacheKey key, CachedReply value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(CacheKey key, CachedReply value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
