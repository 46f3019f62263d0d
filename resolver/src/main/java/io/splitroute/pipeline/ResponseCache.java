package io.splitroute.pipeline;

import io.splitroute.query.QueryStage;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.splitroute.cache.CacheKey;
import io.splitroute.cache.CachedReply;
import io.splitroute.config.CacheConfig;
import io.splitroute.query.AnswerAddress;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Ticker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.xbill.DNS.Message;

/**
 * Answers from the cache, or asks the next stage once for all concurrent identical misses and caches the
 * reply for its TTL (negative answers per RFC 2308; SERVFAIL and truncated replies never).
 */
public final class ResponseCache implements QueryStage {
    private final AsyncCache<CacheKey, CachedReply> cache;
    private volatile CacheConfig limits;
    private final Ticker ticker;
    private final Function<Message, List<AnswerAddress>> addresses;
    private final QueryStage next;

    /**
     * @param limits    size and TTL bounds
     * @param ticker    the clock entries expire and age by
     * @param addresses extracts an answer's addresses, once per entry (the set stage writes them on every hit)
     * @param next      the stage that resolves misses
     */
    public ResponseCache(CacheConfig limits, Ticker ticker, Function<Message, List<AnswerAddress>> addresses,
                         QueryStage next) {
        this.limits = limits;
        this.ticker = ticker;
        this.addresses = addresses;
        this.next = next;
        this.cache = Caffeine.newBuilder()
                .maximumSize(limits.size())
                .ticker(ticker::nanos)
                // Maintenance on the calling thread: waking ForkJoinPool workers per drain costs a hit more.
                .executor(Runnable::run)
                .expireAfter(new ByLifetime())
                .recordStats()
                .buildAsync();
    }

    /** Returns the underlying cache, for metrics. */
    public AsyncCache<CacheKey, CachedReply> cache() {
        return cache;
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        CacheKey key = CacheKey.of(query);
        CompletableFuture<CachedReply> present = cache.getIfPresent(key);
        if (present != null && present.isDone() && !present.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(Resolution.of(present.join(), Source.CACHE, query.route()));
        }
        // Concurrent identical misses share one upstream query: the first caller's loader runs, the
        // others wait on the same future.
        return cache.get(key, (k, executor) -> next.resolve(query).thenApply(this::prepare))
                .thenApply(reply -> Resolution.of(reply, reply.source(), query.route()))
                .exceptionally(error -> Resolution.servfail(query));
    }

    /** Removes every entry. */
    public void clear() {
        cache.synchronous().invalidateAll();
    }

    /** Applies new limits (a reload): the size at once, the TTL bounds to replies cached from now on. */
    public void reconfigure(CacheConfig newLimits) {
        this.limits = newLimits;
        cache.synchronous().policy().eviction().ifPresent(e -> e.setMaximum(newLimits.size()));
    }

    /** Drops every entry whose key fails {@code keep}; returns how many were dropped. */
    public int retainIf(java.util.function.Predicate<CacheKey> keep) {
        java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
        cache.synchronous().asMap().keySet().removeIf(key -> {
            boolean drop = !keep.test(key);
            if (drop) {
                dropped.incrementAndGet();
            }
            return drop;
        });
        return dropped.get();
    }

    private CachedReply prepare(Resolution resolution) {
        if (resolution.cached() instanceof CachedReply cached) {
            return cached;
        }
        Message reply = resolution.reply();
        return CachedReply.of(reply, resolution.source(), resolution.upstream(), limits.minTtl(), limits.maxTtl(),
                addresses, ticker.nanos(), resolution.verdict());
    }

    /** Each entry lives for its reply's own lifetime. */
    private static final class ByLifetime implements Expiry<CacheKey, CachedReply> {
        @Override
        public long expireAfterCreate(CacheKey key, CachedReply value, long currentTime) {
            return TimeUnit.SECONDS.toNanos(value.lifetimeSeconds());
        }

        @Override
        public long expireAfterUpdate(CacheKey key, CachedReply value, long currentTime, long currentDuration) {
            return TimeUnit.SECONDS.toNanos(value.lifetimeSeconds());
        }

        @Override
        public long expireAfterRead(CacheKey key, CachedReply value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
