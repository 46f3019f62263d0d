package io.splitroute.pipeline;

import io.splitroute.cache.CacheConfig;
import io.splitroute.cache.CacheKey;
import io.splitroute.cache.CachedReply;
import io.splitroute.cache.ReplyCache;
import io.splitroute.cache.StaleReply;
import io.splitroute.query.AnswerAddress;
import io.splitroute.query.Query;
import io.splitroute.query.QueryStage;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Ticker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Answers from the cache, or asks the next stage once for all concurrent identical misses and caches the reply
 * for its TTL (negative answers per RFC 2308; SERVFAIL and truncated replies never).
 *
 * <p>When the next stage fails for an expired entry (every upstream of the route timed out, was unreachable, or
 * answered SERVFAIL or REFUSED), the entry is served stale (RFC 8767: TTL 30) within its stale window. For
 * {@value #RECHECK_SECONDS} seconds after such a failure the stale answer goes out at once; after that each query
 * still gets it at once while one refresh runs in the background, and the first refresh that succeeds replaces
 * it. With {@code prefetch}, an entry asked for in the last tenth of its lifetime is refreshed in the background.
 * At most one refresh (miss, prefetch or stale) is in flight per key.
 */
public final class ResponseCache implements QueryStage {
    /** RFC 8767's failure recheck: how long after a failed refresh the upstream is not asked again for that key. */
    static final long RECHECK_SECONDS = StaleReply.TTL;
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(RECHECK_SECONDS);

    private final ReplyCache store;
    private final Ticker ticker;
    private final Function<Message, List<AnswerAddress>> addresses;
    private final QueryStage next;
    private final ConcurrentHashMap<CacheKey, CompletableFuture<CachedReply>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param store     the cached replies
     * @param ticker    the clock entries expire and age by
     * @param addresses extracts an answer's addresses, once per entry (the set stage writes them on every hit)
     * @param next      the stage that resolves misses
     */
    public ResponseCache(ReplyCache store, Ticker ticker, Function<Message, List<AnswerAddress>> addresses,
                         QueryStage next) {
        this.store = store;
        this.ticker = ticker;
        this.addresses = addresses;
        this.next = next;
    }

    /** Returns the cached replies (for metrics, persistence, reloads). */
    public ReplyCache store() {
        return store;
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        CacheKey key = CacheKey.of(query);
        long now = ticker.nanos();
        CachedReply found = store.get(key, now);
        if (found != null) {
            if (found.isFresh(now)) {
                if (store.config().prefetch() && found.inLastTenth(now) && mayRetry(found, now)
                        && !inFlight.containsKey(key)) {
                    refresh(key, query, true);
                }
                return CompletableFuture.completedFuture(Resolution.of(found, Source.CACHE, query.route()));
            }
            if (found.refreshFailedNanos() != CachedReply.NEVER && store.servableStale(found, now)) {
                // The upstream failed for this key recently: answer stale at once, try again in the background.
                if (mayRetry(found, now)) {
                    refresh(key, query, false);
                }
                return CompletableFuture.completedFuture(stale(found, query));
            }
        }
        return refresh(key, query, false).handle((reply, error) -> answer(key, query, reply));
    }

    /** Removes every entry. */
    public void clear() {
        store.clear();
    }

    /** Applies new limits (a reload): see {@link ReplyCache#reconfigure}. */
    public void reconfigure(CacheConfig newLimits) {
        store.reconfigure(newLimits);
    }

    /** Drops every entry whose key fails {@code keep}; returns how many were dropped. */
    public int retainIf(java.util.function.Predicate<CacheKey> keep) {
        return store.retainIf(keep);
    }

    private static boolean mayRetry(CachedReply entry, long now) {
        long failed = entry.refreshFailedNanos();
        return failed == CachedReply.NEVER || now - failed >= RECHECK_NANOS;
    }

    /**
     * Asks the next stage for {@code key} unless a refresh of it is in flight already, whose future is then
     * returned instead. The reply is stored (or the failure recorded on the entry) before the future completes.
     *
     * @param prefetch whether it is a prefetch (counted when this call starts it)
     */
    private CompletableFuture<CachedReply> refresh(CacheKey key, Query query, boolean prefetch) {
        CompletableFuture<CachedReply> mine = new CompletableFuture<>();
        CompletableFuture<CachedReply> theirs = inFlight.putIfAbsent(key, mine);
        if (theirs != null) {
            return theirs;
        }
        if (prefetch) {
            store.countPrefetch();
        }
        CompletableFuture<Resolution> below;
        try {
            below = next.resolve(query);
        } catch (RuntimeException e) { // as a stage's failed future would report it
            below = CompletableFuture.failedFuture(e);
        }
        below.whenComplete((resolution, error) -> {
            CachedReply reply = null;
            try {
                if (error == null) {
                    reply = prepare(resolution);
                    settle(key, reply);
                } else {
                    settle(key, null);
                }
            } finally {
                inFlight.remove(key, mine);
                if (reply != null) {
                    mine.complete(reply);
                } else {
                    mine.completeExceptionally(error != null ? error : new IllegalStateException("no reply"));
                }
            }
        });
        return mine;
    }

    /** Stores a good reply; for a failure (null or SERVFAIL/REFUSED), records it on the entry there is. */
    private void settle(CacheKey key, CachedReply reply) {
        if (reply != null && !failed(reply)) {
            store.put(key, reply);
            return;
        }
        CachedReply current = store.peek(key);
        if (current != null) {
            store.replace(key, current, current.withRefreshFailed(ticker.nanos()));
        }
    }

    /** The reply for a query that waited on a refresh: the refreshed answer, or stale when it failed. */
    private Resolution answer(CacheKey key, Query query, CachedReply reply) {
        if (reply != null && !failed(reply)) {
            return Resolution.of(reply, reply.source(), query.route());
        }
        CachedReply current = store.peek(key);
        long now = ticker.nanos();
        if (current != null && current.isFresh(now)) { // stored by another refresh meanwhile
            return Resolution.of(current, Source.CACHE, query.route());
        }
        if (current != null && store.servableStale(current, now)) {
            return stale(current, query);
        }
        return reply != null ? Resolution.of(reply, reply.source(), query.route()) : Resolution.servfail(query);
    }

    private Resolution stale(CachedReply entry, Query query) {
        store.countStale();
        return Resolution.of(new StaleReply(entry), Source.CACHE, query.route());
    }

    /** Whether a reply means the upstream could not answer (RFC 8767's cue to serve stale). */
    private static boolean failed(CachedReply reply) {
        return reply.rcode() == Rcode.SERVFAIL || reply.rcode() == Rcode.REFUSED;
    }

    private CachedReply prepare(Resolution resolution) {
        if (resolution.cached() instanceof CachedReply cached) {
            return cached;
        }
        CacheConfig limits = store.config();
        return CachedReply.of(resolution.reply(), resolution.source(), resolution.upstream(), limits.minTtl(),
                limits.maxTtl(), addresses, ticker.nanos(), resolution.verdict());
    }
}
