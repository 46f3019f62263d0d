package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.cache.CacheConfig;
import io.splitroute.cache.ReplyCache;
import io.splitroute.cache.StaleReply;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.server.ReplyEncoder;
import io.splitroute.sets.AnswerAddresses;
import io.splitroute.testing.ManualTicker;
import io.splitroute.testing.StageQueries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cache stage alone, with a lambda for the stage below and a clock the test advances: hits, ages, expiry,
 * SERVFAIL never kept, one miss for concurrent identical queries, serving stale (RFC 8767) and prefetching.
 */
class ResponseCacheTest {
    private final ManualTicker clock = new ManualTicker();
    private final List<Query> misses = new ArrayList<>();
    private final List<CompletableFuture<Resolution>> pending = new ArrayList<>();
    private boolean hold;
    /** What the stage below answers: an address (TTL 100), or a failure. */
    private Function<Query, Resolution> below = q -> StageQueries.answer(q, 100, "192.0.2.1");

    private ResponseCache cache(CacheConfig limits) {
        return new ResponseCache(new ReplyCache(limits, clock), clock, AnswerAddresses::all, query -> {
            misses.add(query);
            Resolution r = below.apply(query);
            if (hold) {
                CompletableFuture<Resolution> later = new CompletableFuture<>();
                pending.add(later);
                return later.thenApply(x -> r);
            }
            return r == null ? CompletableFuture.failedFuture(new IllegalStateException("timed out"))
                    : CompletableFuture.completedFuture(r);
        });
    }

    private static Query a(String name) {
        return StageQueries.query(name, Type.A);
    }

    private void answer(String address) {
        below = q -> StageQueries.answer(q, 100, address);
    }

    private void fail(int rcode) {
        below = q -> Resolution.error(q, rcode, rcode == Rcode.SERVFAIL ? Source.FAILED : Source.UPSTREAM);
    }

    private void timeOut() {
        below = q -> null;
    }

    /** The reply as the client gets it. */
    private Message wire(Query query, Resolution resolution) throws Exception {
        return new Message(new ReplyEncoder(clock).encode(query, resolution));
    }

    private static String address(Message m) {
        return m.getSection(Section.ANSWER).getFirst().rdataToString();
    }

    @Test
    void hit_servedWithoutAskingBelow_itsAgeReadFromTheClock() {
        ResponseCache cache = cache(CacheConfig.DEFAULT);
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(7));

        Resolution hit = cache.resolve(a("A.example")).join();

        assertThat(misses).hasSize(1);
        assertThat(hit.source()).isEqualTo(Source.CACHE);
        assertThat(hit.cached().ageSeconds(clock.nanos())).isEqualTo(7);
        assertThat(hit.cached().addresses(false)).singleElement()
                .satisfies(x -> assertThat(x.address().getHostAddress()).isEqualTo("192.0.2.1"));
    }

    @Test
    void expiry_afterTheClampedLifetime() {
        ResponseCache cache = cache(new CacheConfig(100, 0, 60).withStale(Duration.ZERO));
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(59));
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(2));

        cache.resolve(a("a.example")).join();

        assertThat(misses).hasSize(2);
    }

    @Test
    void servfail_neverKept() {
        ResponseCache cache = cache(CacheConfig.DEFAULT);
        fail(Rcode.SERVFAIL);
        cache.resolve(a("a.example")).join();
        answer("192.0.2.1");

        Resolution second = cache.resolve(a("a.example")).join();

        assertThat(misses).hasSize(2);
        assertThat(second.rcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void concurrentIdenticalMisses_askBelowOnce() {
        ResponseCache cache = cache(CacheConfig.DEFAULT);
        hold = true;
        CompletableFuture<Resolution> first = cache.resolve(a("a.example"));
        CompletableFuture<Resolution> second = cache.resolve(a("a.example"));

        pending.getFirst().complete(null);

        assertThat(first.join().rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(second.join().rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(misses).hasSize(1);
    }

    @Test
    void stale_servedWithTtl30WithinTheWindow_whenTheUpstreamFails() throws Exception {
        ResponseCache cache = cache(CacheConfig.DEFAULT.withStale(Duration.ofHours(1)));
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(100 + 3599));
        fail(Rcode.SERVFAIL);

        Query query = a("a.example");
        Resolution stale = cache.resolve(query).join();

        assertThat(misses).as("the upstream was asked first").hasSize(2);
        assertThat(stale.cached()).isInstanceOf(StaleReply.class);
        Message reply = wire(query, stale);
        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(address(reply)).isEqualTo("192.0.2.1");
        assertThat(reply.getSection(Section.ANSWER)).extracting(Record::getTTL).containsOnly(StaleReply.TTL);
        assertThat(cache.store().staleServed()).isEqualTo(1);
    }

    @Test
    void stale_servedForEveryKindOfFailure() {
        for (Runnable failure : List.<Runnable>of(() -> fail(Rcode.SERVFAIL), () -> fail(Rcode.REFUSED), this::timeOut)) {
            clock.advance(Duration.ofDays(2));
            answer("192.0.2.1");
            ResponseCache cache = cache(CacheConfig.DEFAULT);
            cache.resolve(a("a.example")).join();
            clock.advance(Duration.ofSeconds(200));
            failure.run();

            Resolution r = cache.resolve(a("a.example")).join();

            assertThat(r.cached()).isInstanceOf(StaleReply.class);
        }
    }

    @Test
    void stale_servfailAfterTheWindow() {
        ResponseCache cache = cache(CacheConfig.DEFAULT.withStale(Duration.ofHours(1)));
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(100 + 3600));
        fail(Rcode.SERVFAIL);

        Resolution r = cache.resolve(a("a.example")).join();

        assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(r.cached()).isNotInstanceOf(StaleReply.class);
    }

    @Test
    void stale_offWithAZeroWindow() {
        ResponseCache cache = cache(CacheConfig.DEFAULT.withStale(Duration.ZERO));
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(101));
        fail(Rcode.SERVFAIL);

        assertThat(cache.resolve(a("a.example")).join().rcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void stale_negativeAnswerNoLongerThanItsOwnLifetime() {
        ResponseCache cache = cache(CacheConfig.DEFAULT);
        below = q -> {
            Message m = StageQueries.answer(q, 1, "192.0.2.1").reply();
            m.removeAllRecords(Section.ANSWER);
            m.getHeader().setRcode(Rcode.NXDOMAIN);
            m.addRecord(soa(600), Section.AUTHORITY);
            return new Resolution(m, Source.UPSTREAM, q.route(), "isp", null);
        };
        cache.resolve(a("nx.example")).join();
        clock.advance(Duration.ofSeconds(600 + 599));
        fail(Rcode.SERVFAIL);
        assertThat(cache.resolve(a("nx.example")).join().rcode()).as("within 600 s past expiry")
                .isEqualTo(Rcode.NXDOMAIN);
        clock.advance(Duration.ofSeconds(2));

        assertThat(cache.resolve(a("nx.example")).join().rcode()).isEqualTo(Rcode.SERVFAIL);
    }

    private static Record soa(long ttl) {
        try {
            return new org.xbill.DNS.SOARecord(org.xbill.DNS.Name.fromString("example."), org.xbill.DNS.DClass.IN, ttl,
                    org.xbill.DNS.Name.fromString("ns.example."), org.xbill.DNS.Name.fromString("h.example."), 1, 3600,
                    600, 86400, ttl);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void stale_afterAFailureGoesOutAtOnce_andTheUpstreamIsRetriedInTheBackgroundAfter30s() {
        ResponseCache cache = cache(CacheConfig.DEFAULT);
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(150));
        fail(Rcode.SERVFAIL);
        cache.resolve(a("a.example")).join(); // asks, fails, serves stale
        clock.advance(Duration.ofSeconds(29));

        Resolution within = cache.resolve(a("a.example")).join();

        assertThat(within.cached()).isInstanceOf(StaleReply.class);
        assertThat(misses).as("no retry within 30 s of the failure").hasSize(2);

        clock.advance(Duration.ofSeconds(1));
        answer("192.0.2.99");
        hold = true;
        CompletableFuture<Resolution> after = cache.resolve(a("a.example"));

        assertThat(after).as("answered stale without waiting for the retry").isCompleted();
        assertThat(after.join().cached()).isInstanceOf(StaleReply.class);
        assertThat(misses).hasSize(3);
    }

    @Test
    void stale_replacedWhenABackgroundRefreshSucceeds() throws Exception {
        ResponseCache cache = cache(CacheConfig.DEFAULT);
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(150));
        fail(Rcode.SERVFAIL);
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(31));
        answer("192.0.2.99");
        cache.resolve(a("a.example")).join(); // stale at once; the background refresh answers

        Query query = a("a.example");
        Resolution fresh = cache.resolve(query).join();

        assertThat(fresh.cached()).isNotInstanceOf(StaleReply.class);
        assertThat(fresh.source()).isEqualTo(Source.CACHE);
        assertThat(address(wire(query, fresh))).isEqualTo("192.0.2.99");
        assertThat(misses).hasSize(3);
    }

    @Test
    void prefetch_onlyInTheLastTenthOfTheLifetime() {
        ResponseCache cache = cache(CacheConfig.DEFAULT.withPrefetch(true));
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(89));
        cache.resolve(a("a.example")).join();
        assertThat(misses).as("at 89 of 100 s: no prefetch").hasSize(1);

        clock.advance(Duration.ofSeconds(2));
        answer("192.0.2.99");
        Resolution hit = cache.resolve(a("a.example")).join();

        assertThat(hit.source()).as("the client gets the entry it asked for").isEqualTo(Source.CACHE);
        assertThat(misses).as("at 91 of 100 s: one prefetch").hasSize(2);
        assertThat(cache.store().prefetches()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(50));
        Resolution refreshed = cache.resolve(a("a.example")).join();
        assertThat(refreshed.cached().addresses(false).getFirst().address().getHostAddress()).isEqualTo("192.0.2.99");
        assertThat(misses).as("the refreshed entry is fresh again: no second prefetch").hasSize(2);
    }

    @Test
    void prefetch_oneInFlightPerKey() {
        ResponseCache cache = cache(CacheConfig.DEFAULT.withPrefetch(true));
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(95));
        hold = true;

        cache.resolve(a("a.example")).join();
        cache.resolve(a("a.example")).join();
        cache.resolve(a("a.example")).join();

        assertThat(misses).hasSize(2);
        assertThat(cache.store().prefetches()).isEqualTo(1);
        pending.getFirst().complete(null);
        clock.advance(Duration.ofSeconds(1));
        cache.resolve(a("a.example")).join();
        assertThat(misses).as("refreshed: fresh again").hasSize(2);
    }

    @Test
    void prefetch_offByDefault() {
        ResponseCache cache = cache(CacheConfig.DEFAULT);
        cache.resolve(a("a.example")).join();
        clock.advance(Duration.ofSeconds(95));

        cache.resolve(a("a.example")).join();

        assertThat(misses).hasSize(1);
    }

    @Test
    void oversizedAnswer_servedButNotCached() {
        ResponseCache cache = cache(CacheConfig.DEFAULT.withBytes(1 << 20, 2048));
        String[] many = new String[100];
        for (int i = 0; i < many.length; i++) {
            many[i] = "198.51.100." + (i + 1);
        }
        below = q -> StageQueries.answer(q, 100, many);

        Resolution first = cache.resolve(a("big.example")).join();
        cache.resolve(a("big.example")).join();

        assertThat(first.cached().addresses(false)).hasSize(100);
        assertThat(misses).hasSize(2);
        assertThat(cache.store().oversized()).isEqualTo(2);
    }
}
