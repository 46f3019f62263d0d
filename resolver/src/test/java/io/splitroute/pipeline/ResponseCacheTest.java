package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.config.CacheConfig;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.sets.AnswerAddresses;
import io.splitroute.testing.ManualTicker;
import io.splitroute.testing.StageQueries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The cache stage alone, with a lambda for the stage below and a clock the test advances: hits, ages,
 * expiry, SERVFAIL never kept, one miss for concurrent identical queries.
 */
class ResponseCacheTest {
    private final ManualTicker clock = new ManualTicker();
    private final List<Query> misses = new ArrayList<>();
    private final List<CompletableFuture<Resolution>> pending = new ArrayList<>();
    private boolean hold;
    private int rcode = Rcode.NOERROR;

    private ResponseCache cache(CacheConfig limits) {
        return new ResponseCache(limits, clock, AnswerAddresses::all, query -> {
            misses.add(query);
            Resolution r = rcode == Rcode.NOERROR ? StageQueries.answer(query, 300, "192.0.2.1")
                    : Resolution.error(query, rcode, Source.UPSTREAM);
            if (hold) {
                CompletableFuture<Resolution> later = new CompletableFuture<>();
                pending.add(later);
                return later.thenApply(x -> r);
            }
            return CompletableFuture.completedFuture(r);
        });
    }

    @Test
    void hit_servedWithoutAskingBelow_itsAgeReadFromTheClock() {
        ResponseCache cache = cache(CacheConfig.DEFAULT);
        cache.resolve(StageQueries.query("a.example", Type.A)).join();
        clock.advance(Duration.ofSeconds(7));

        Resolution hit = cache.resolve(StageQueries.query("A.example", Type.A)).join();

        assertThat(misses).hasSize(1);
        assertThat(hit.source()).isEqualTo(Source.CACHE);
        assertThat(hit.cached().ageSeconds(clock.nanos())).isEqualTo(7);
        assertThat(hit.cached().addresses(false)).singleElement()
                .satisfies(a -> assertThat(a.address().getHostAddress()).isEqualTo("192.0.2.1"));
    }

    @Test
    void expiry_afterTheClampedLifetime() {
        ResponseCache cache = cache(new CacheConfig(100, 0, 60));
        cache.resolve(StageQueries.query("a.example", Type.A)).join();
        clock.advance(Duration.ofSeconds(59));
        cache.resolve(StageQueries.query("a.example", Type.A)).join();
        clock.advance(Duration.ofSeconds(2));

        cache.resolve(StageQueries.query("a.example", Type.A)).join();

        assertThat(misses).hasSize(2);
    }

    @Test
    void servfail_neverKept() {
        ResponseCache cache = cache(CacheConfig.DEFAULT);
        rcode = Rcode.SERVFAIL;
        cache.resolve(StageQueries.query("a.example", Type.A)).join();
        rcode = Rcode.NOERROR;

        Resolution second = cache.resolve(StageQueries.query("a.example", Type.A)).join();

        assertThat(misses).hasSize(2);
        assertThat(second.rcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void concurrentIdenticalMisses_askBelowOnce() {
        ResponseCache cache = cache(CacheConfig.DEFAULT);
        hold = true;
        CompletableFuture<Resolution> first = cache.resolve(StageQueries.query("a.example", Type.A));
        CompletableFuture<Resolution> second = cache.resolve(StageQueries.query("a.example", Type.A));

        pending.getFirst().complete(null);

        assertThat(first.join().rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(second.join().rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(misses).hasSize(1);
    }
}
