package io.splitroute.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.Source;
import io.splitroute.sets.AnswerAddresses;
import io.splitroute.testing.ManualTicker;
import io.splitroute.testing.StageQueries;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cache file: a round trip keeps every entry with the age it has by the wall clock; a file that is corrupt,
 * truncated, of another version or not a cache file is ignored whole; entries whose route changed or that are past
 * their stale window are dropped. Both clocks are the test's.
 */
class CachePersistenceTest {
    @TempDir
    Path dir;

    private final AtomicLong wallMillis = new AtomicLong(1_700_000_000_000L);
    private final InstantSource wall = () -> Instant.ofEpochMilli(wallMillis.get());
    /** Each name's route stamp now; a name missing takes another route. */
    private final Map<String, String> stamps = new HashMap<>();
    private final RouteCheck routes = (name, route) -> "tunnel".equals(route) ? stamps.get(name) : null;

    private CachePersistence persistence(ReplyCache store, ManualTicker clock) {
        return new CachePersistence(store, clock, wall, routes, AnswerAddresses::all);
    }

    private static CacheKey key(String name, boolean dnssecOk) {
        return new CacheKey(name, Type.A, 1, dnssecOk, !dnssecOk, "tunnel");
    }

    private static CachedReply reply(String name, long ttl, long nowNanos, String... addresses) {
        var query = StageQueries.query(name, Type.A);
        return CachedReply.of(StageQueries.answer(query, ttl, addresses).reply(), Source.UPSTREAM, "clean", 0, 86_400,
                AnswerAddresses::all, nowNanos);
    }

    /** A cache of two answers (one with two addresses), saved 40 s after they were stored. */
    private Path saved() throws IOException {
        ManualTicker clock = new ManualTicker();
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT, clock);
        stamps.put("a.example", "clean [udp://192.0.2.53:53] aaaa=DROP");
        stamps.put("b.example", "clean [udp://192.0.2.53:53] aaaa=DROP");
        store.put(key("a.example", true), reply("a.example", 300, clock.nanos(), "192.0.2.1"));
        store.put(key("b.example", false), reply("b.example", 600, clock.nanos(), "192.0.2.2", "192.0.2.3"));
        clock.advance(Duration.ofSeconds(40));
        wallMillis.addAndGet(40_000);
        Path file = dir.resolve("cache.bin");
        assertThat(persistence(store, clock).save(file)).isEqualTo(2);
        return file;
    }

    @Test
    void roundTrip_entriesComeBackWithTheirAgeByTheWallClock() throws Exception {
        Path file = saved();
        wallMillis.addAndGet(10_000); // the restart took 10 s
        ManualTicker clock = new ManualTicker();
        clock.advance(Duration.ofDays(3)); // another process: another origin
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT, clock);

        CachePersistence.Restored restored = persistence(store, clock).load(file);

        assertThat(restored.problem()).isNull();
        assertThat(restored.entries()).hasSize(2);
        CachedReply a = store.get(key("a.example", true));
        CachedReply b = store.get(key("b.example", false));
        assertThat(a.ageSeconds(clock.nanos())).isEqualTo(50);
        assertThat(a.lifetimeSeconds()).isEqualTo(300);
        assertThat(a.upstream()).isEqualTo("clean");
        assertThat(b.addresses(false)).extracting(x -> x.address().getHostAddress())
                .containsExactly("192.0.2.2", "192.0.2.3");
        Message m = b.message();
        assertThat(m.getSection(Section.ANSWER)).extracting(Record::getTTL).containsOnly(600L);
        assertThat(store.get(key("a.example", false))).as("the DO and CD bits are part of the key").isNull();
    }

    @Test
    void save_isOwnerOnly_andLeavesNoTemporaryFile() throws Exception {
        Path file = saved();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void changedRoute_dropped() throws Exception {
        Path file = saved();
        stamps.put("a.example", "isp [system] aaaa=PASS"); // the route now goes to other servers
        stamps.remove("b.example"); // b.example takes another route now
        ManualTicker clock = new ManualTicker();
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT, clock);

        CachePersistence.Restored restored = persistence(store, clock).load(file);

        assertThat(restored.entries()).isEmpty();
        assertThat(restored.routeChanged()).isEqualTo(2);
        assertThat(store.entries()).isZero();
    }

    @Test
    void expired_keptOnlyWithinTheStaleWindow() throws Exception {
        Path file = saved();
        wallMillis.addAndGet(Duration.ofSeconds(300 + 3600).toMillis()); // a: 3640 s past expiry; b: 3340 s
        ManualTicker clock = new ManualTicker();
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT.withStale(Duration.ofHours(1)), clock);

        CachePersistence.Restored restored = persistence(store, clock).load(file);

        assertThat(restored.expired()).isEqualTo(1);
        assertThat(store.get(key("a.example", true))).isNull();
        CachedReply b = store.get(key("b.example", false));
        assertThat(b.isFresh(clock.nanos())).isFalse();
        assertThat(store.servableStale(b, clock.nanos())).isTrue();
    }

    @Test
    void clockSetBack_answersNoYoungerThanWhenSaved() throws Exception {
        Path file = saved();
        wallMillis.addAndGet(-Duration.ofDays(1).toMillis()); // a router without a real-time clock, before NTP
        ManualTicker clock = new ManualTicker();
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT, clock);

        persistence(store, clock).load(file);

        assertThat(store.get(key("a.example", true)).ageSeconds(clock.nanos())).isEqualTo(40);
    }

    @Test
    void corrupt_ignoredWhole() throws Exception {
        Path file = saved();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() - 10);
            int b = f.read();
            f.seek(f.length() - 10);
            f.write(b ^ 0x40);
        }

        assertIgnored(file, "corrupt: checksum mismatch");
    }

    @Test
    void truncated_ignoredWhole() throws Exception {
        Path file = saved();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 30);
        }

        assertIgnored(file, "truncated");
    }

    @Test
    void truncatedInTheHeader_ignored() throws Exception {
        Path file = saved();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(10);
        }

        assertIgnored(file, "truncated");
    }

    @Test
    void foreignVersion_ignored() throws Exception {
        Path file = saved();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(CacheFile.MAGIC.length);
            f.writeInt(CacheFile.VERSION + 1);
        }

        assertIgnored(file, "format version " + (CacheFile.VERSION + 1));
    }

    @Test
    void notACacheFile_ignored() throws Exception {
        Path file = Files.writeString(dir.resolve("cache.bin"), "listen: [\"127.0.0.1:53\"]\n".repeat(10));

        assertIgnored(file, "not a splitroute cache file");
    }

    @Test
    void missingFile_anEmptyCacheAndNoProblem() {
        ManualTicker clock = new ManualTicker();
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT, clock);

        CachePersistence.Restored restored = persistence(store, clock).load(dir.resolve("none.bin"));

        assertThat(restored.problem()).isNull();
        assertThat(restored.entries()).isEmpty();
    }

    @Test
    void save_aNegativeAnswerComesBackNegative() throws Exception {
        ManualTicker clock = new ManualTicker();
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT, clock);
        stamps.put("nx.example", "clean [] aaaa=DROP");
        Message nx = StageQueries.answer(StageQueries.query("nx.example", Type.A), 1).reply();
        nx.getHeader().setRcode(Rcode.NXDOMAIN);
        nx.addRecord(Record.fromString(org.xbill.DNS.Name.fromString("example."), Type.SOA, 1, 900,
                "ns.example. h.example. 1 3600 600 86400 900", org.xbill.DNS.Name.root), Section.AUTHORITY);
        store.put(key("nx.example", false), CachedReply.of(nx, Source.UPSTREAM, "clean", 0, 86_400,
                AnswerAddresses::all, clock.nanos()));
        Path file = dir.resolve("cache.bin");
        persistence(store, clock).save(file);
        ReplyCache next = new ReplyCache(CacheConfig.DEFAULT, clock);

        persistence(next, clock).load(file);

        CachedReply back = next.get(key("nx.example", false));
        assertThat(back.rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(back.negative()).isTrue();
        assertThat(back.lifetimeSeconds()).isEqualTo(900);
    }

    private void assertIgnored(Path file, String problem) {
        ManualTicker clock = new ManualTicker();
        ReplyCache store = new ReplyCache(CacheConfig.DEFAULT, clock);

        CachePersistence.Restored restored = persistence(store, clock).load(file);

        assertThat(restored.problem()).contains(problem);
        assertThat(restored.entries()).isEmpty();
        assertThat(store.entries()).isZero();
    }
}
