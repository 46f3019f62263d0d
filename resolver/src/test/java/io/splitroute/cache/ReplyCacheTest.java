package io.splitroute.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.Source;
import io.splitroute.sets.AnswerAddresses;
import io.splitroute.testing.ManualTicker;
import io.splitroute.testing.StageQueries;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** The byte-bounded store: what an entry weighs, eviction by bytes and by count, the stale window, with a clock the test moves. */
class ReplyCacheTest {
    private final ManualTicker clock = new ManualTicker();

    private CachedReply reply(String name, int addresses, long ttl) {
        String[] list = new String[addresses];
        for (int i = 0; i < addresses; i++) {
            list[i] = "10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff);
        }
        var query = StageQueries.query(name, Type.A);
        return CachedReply.of(StageQueries.answer(query, ttl, list).reply(), Source.UPSTREAM, "isp", 0, 86_400,
                AnswerAddresses::all, clock.nanos());
    }

    private static CacheKey key(String name) {
        return new CacheKey(name, Type.A, 1, false, false, "tunnel");
    }

    @Test
    void weight_isTheWireBytesAddressesAndAFixedPart() {
        CachedReply one = reply("a.example", 1, 300);
        CachedReply hundred = reply("a.example", 100, 300);

        int wire1 = one.wire().length;
        int wire100 = hundred.wire().length;
        assertThat(EntryWeigher.bytes(key("a.example"), one)).isEqualTo(EntryWeigher.ENTRY_BASE + "a.example".length()
                + align(wire1) + align(4) + EntryWeigher.PER_IPV4);
        assertThat(EntryWeigher.bytes(key("a.example"), hundred)).isEqualTo(EntryWeigher.ENTRY_BASE + "a.example".length()
                + align(wire100) + align(400) + 100 * EntryWeigher.PER_IPV4);
    }

    private static int align(int n) {
        return (n + 7) & ~7;
    }

    @Test
    void weight_neverAboveMaxBytes_evictsByBytes() {
        long maxBytes = 64 * 1024;
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT.withBytes(maxBytes, maxBytes), clock);
        int perEntry = EntryWeigher.bytes(key("n0.example"), reply("n0.example", 10, 300));

        for (int i = 0; i < 500; i++) {
            store.put(key("n" + i + ".example"), reply("n" + i + ".example", 10, 300));
            store.caffeine().cleanUp();
            assertThat(store.weight()).isLessThanOrEqualTo(maxBytes);
        }

        assertThat(store.entries()).isBetween(maxBytes / perEntry / 2, maxBytes / perEntry);
        assertThat(store.caffeine().stats().evictionCount()).isGreaterThan(400);
    }

    @Test
    void size_stillBoundsTheEntries_eachCountingAtLeastMaxBytesOverSize() {
        ReplyCache store = new ReplyCache(new CacheConfig(10, 0, 86_400).withBytes(1 << 20, 1 << 20), clock);

        for (int i = 0; i < 50; i++) {
            store.put(key("n" + i + ".example"), reply("n" + i + ".example", 1, 300));
        }
        store.caffeine().cleanUp();

        assertThat(store.entries()).isLessThanOrEqualTo(10);
        assertThat(store.weight()).isLessThanOrEqualTo(1 << 20);
    }

    @Test
    void reconfigure_smallerMaxBytesEvictsAtOnce() {
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT, clock);
        for (int i = 0; i < 100; i++) {
            store.put(key("n" + i + ".example"), reply("n" + i + ".example", 10, 300));
        }

        store.reconfigure(CacheConfig.DEFAULT.withBytes(8 * 1024, 8 * 1024));
        store.caffeine().cleanUp();

        assertThat(store.weight()).isLessThanOrEqualTo(8 * 1024);
    }

    @Test
    void oversized_notKeptAndCounted() {
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT.withBytes(1 << 20, 4096), clock);

        assertThat(store.put(key("big.example"), reply("big.example", 100, 300))).isFalse();
        assertThat(store.put(key("small.example"), reply("small.example", 2, 300))).isTrue();

        assertThat(store.oversized()).isEqualTo(1);
        assertThat(store.get(key("big.example"))).isNull();
    }

    @Test
    void entry_keptThroughItsStaleWindowThenGone() {
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT.withStale(Duration.ofMinutes(10)), clock);
        CachedReply entry = reply("a.example", 1, 60);
        store.put(key("a.example"), entry);

        clock.advance(Duration.ofSeconds(60));
        assertThat(store.get(key("a.example"))).isSameAs(entry);
        assertThat(entry.isFresh(clock.nanos())).isFalse();
        assertThat(store.servableStale(entry, clock.nanos())).isTrue();
        clock.advance(Duration.ofSeconds(599));
        assertThat(store.get(key("a.example"))).isSameAs(entry);

        clock.advance(Duration.ofSeconds(1));
        assertThat(store.get(key("a.example"))).isNull();
    }

    @Test
    void entry_withoutStaleWindow_goneAtItsLifetime() {
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT.withStale(Duration.ZERO), clock);
        store.put(key("a.example"), reply("a.example", 1, 60));

        clock.advance(Duration.ofSeconds(59));
        assertThat(store.get(key("a.example"))).isNotNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.get(key("a.example"))).isNull();
    }

    @Test
    void hits_everyOneCounted_thoughAHotEntrysUseIsRecordedAtMostOncePerInterval() {
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT, clock);
        CachedReply entry = reply("a.example", 1, 300);
        store.put(key("a.example"), entry);

        for (int i = 0; i < 10; i++) {
            assertThat(store.get(key("a.example"))).isSameAs(entry);
        }
        assertThat(store.get(key("b.example"))).isNull();

        assertThat(store.caffeine().stats().hitCount()).isEqualTo(10);
        assertThat(store.caffeine().stats().missCount()).isEqualTo(1);
        long every = Duration.ofMillis(ReplyCache.RECORD_EVERY_MILLIS).toNanos();
        long now = clock.nanos();
        assertThat(entry.useToRecord(now + every - 1, every)).as("stored just now: a use recorded").isFalse();
        assertThat(entry.useToRecord(now + every, every)).isTrue();
        assertThat(entry.useToRecord(now + every + every / 2, every)).isFalse();
        assertThat(entry.useToRecord(now + 2 * every, every)).isTrue();
    }
}
