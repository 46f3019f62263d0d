package io.splitroute.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The cache's own meters (Caffeine's hits, misses, evictions and size come from {@code CaffeineCacheMetrics}
 * under {@code cache=dns.cache}): the bytes held and their bound, answers too large to keep, stale answers,
 * prefetches, and the cache file's saves and restores.
 */
public final class CacheMeters implements MeterBinder {
    private final ReplyCache store;
    private final CachePersistence persistence;

    /**
     * @param store       the cached replies
     * @param persistence the cache file's side, or {@code null} when none is made
     */
    public CacheMeters(ReplyCache store, CachePersistence persistence) {
        this.store = store;
        this.persistence = persistence;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("dns.cache.weight", store, ReplyCache::weight).baseUnit("bytes")
                .description("Heap the cached answers take, as weighed (an entry counts at least max-bytes/size)")
                .register(registry);
        Gauge.builder("dns.cache.max.weight", store, s -> s.config().maxBytes()).baseUnit("bytes")
                .description("The byte bound of the cache (cache.max-bytes)").register(registry);
        FunctionCounter.builder("dns.cache.oversized", store, ReplyCache::oversized)
                .description("Answers served but not cached: larger than cache.max-answer-bytes").register(registry);
        FunctionCounter.builder("dns.cache.stale", store, ReplyCache::staleServed)
                .description("Expired answers served (TTL 30) because every upstream of the route failed")
                .register(registry);
        FunctionCounter.builder("dns.cache.prefetches", store, ReplyCache::prefetches)
                .description("Entries refreshed in the background in the last tenth of their lifetime")
                .register(registry);
        if (persistence != null) {
            Gauge.builder("dns.cache.persist.saved", persistence, CachePersistence::saved)
                    .description("Answers written to the cache file by the last save").register(registry);
            FunctionCounter.builder("dns.cache.persist.failures", persistence, CachePersistence::failedSaves)
                    .description("Saves of the cache file that failed").register(registry);
            Gauge.builder("dns.cache.persist.restored", persistence, CachePersistence::restored)
                    .description("Answers read back from the cache file at start").register(registry);
        }
    }
}
