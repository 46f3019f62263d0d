package io.splitroute.cache;

import io.splitroute.logging.ThrottledLog;
import io.splitroute.query.AnswerAddress;
import io.splitroute.query.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * Keeps the cache across restarts ({@code cache: { persist: FILE }}): {@link #save} writes every entry to the
 * {@linkplain CacheFile cache file}, on stop and every {@link #SAVE_EVERY} on a thread of its own (never on the
 * query path); {@link #load} reads it back at start, before listening. An entry comes back when its route is
 * unchanged ({@link RouteCheck}), with the age it has by the wall clock, if it is still fresh or may still be
 * served stale. A file that cannot be used is logged and ignored: the cache starts empty.
 */
public final class CachePersistence implements AutoCloseable {
    /** How often the cache is saved while running. */
    public static final Duration SAVE_EVERY = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(CachePersistence.class);
    private static final ThrottledLog warnings = new ThrottledLog(log, 60);

    private final ReplyCache store;
    private final Ticker ticker;
    private final InstantSource wall;
    private final RouteCheck routes;
    private final Function<Message, List<AnswerAddress>> addresses;
    private final AtomicLong saved = new AtomicLong();
    private final AtomicLong failedSaves = new AtomicLong();
    private final AtomicLong restored = new AtomicLong();
    private ScheduledExecutorService saver;

    /**
     * @param store     the cache saved and filled
     * @param ticker    the clock entries age by
     * @param wall      the wall clock the file's times are in (an entry's age across a restart)
     * @param routes    tells whether a saved entry's route is unchanged
     * @param addresses extracts a restored answer's addresses, as for any answer cached
     */
    public CachePersistence(ReplyCache store, Ticker ticker, InstantSource wall, RouteCheck routes,
                            Function<Message, List<AnswerAddress>> addresses) {
        this.store = store;
        this.ticker = ticker;
        this.wall = wall;
        this.routes = routes;
        this.addresses = addresses;
    }

    /**
     * What a load put back.
     *
     * @param entries      the entries put in the cache, fresh ones and ones only servable stale
     * @param routeChanged entries dropped because their name takes another route now (or the route changed)
     * @param expired      entries dropped because they are past their stale window (or above max-answer-bytes)
     * @param problem      why the file was not used, or {@code null}
     */
    public record Restored(List<Map.Entry<CacheKey, CachedReply>> entries, int routeChanged, int expired,
                           String problem) {
        static Restored unusable(String problem) {
            return new Restored(List.of(), 0, 0, problem);
        }
    }

    /**
     * Reads {@code file} into the cache. A missing file is not a problem (the first start); any other that
     * cannot be used is logged and ignored.
     */
    public Restored load(Path file) {
        long started = System.nanoTime();
        CacheFile.Contents contents;
        try {
            // The file holds the wire bytes; the cache holds more per entry, so a file larger than the cache's
            // byte bound was not written by this config.
            contents = CacheFile.read(file, Math.max(store.config().maxBytes(), 1 << 20));
        } catch (NoSuchFileException e) {
            log.info("cache: no saved cache at {} yet", file);
            return Restored.unusable(null);
        } catch (IOException e) {
            log.warn("cache: ignoring {}: {}; starting with an empty cache", file, e.getMessage());
            return Restored.unusable(e.getMessage());
        }
        Restored result = restore(contents);
        restored.set(result.entries().size());
        log.info("cache: {} answers restored from {} in {} ms ({} dropped: route changed; {} expired or too large)",
                result.entries().size(), file, (System.nanoTime() - started) / 1_000_000, result.routeChanged(),
                result.expired());
        return result;
    }

    private Restored restore(CacheFile.Contents contents) {
        long nowMillis = wall.millis();
        long nowNanos = ticker.nanos();
        List<Map.Entry<CacheKey, CachedReply>> kept = new ArrayList<>(contents.entries().size());
        int routeChanged = 0;
        int expired = 0;
        for (CacheFile.Entry e : contents.entries()) {
            String stamp = routes.stamp(e.key().name(), e.key().route());
            if (!e.routeStamp().equals(stamp)) {
                routeChanged++;
                continue;
            }
            // A clock set back (a router without a real-time clock, before NTP) must not make answers younger
            // than they were when saved.
            long ageMillis = Math.max(nowMillis - e.storedAtMillis(), contents.savedAtMillis() - e.storedAtMillis());
            long storedNanos = nowNanos - TimeUnit.MILLISECONDS.toNanos(Math.max(0, ageMillis));
            CachedReply reply;
            try {
                reply = CachedReply.restore(e.wire(), e.source(), e.upstream(), e.lifetimeSeconds(), storedNanos,
                        addresses);
            } catch (IOException | RuntimeException bad) {
                warnings.warn("restore", "cache: a saved answer for " + e.key().name() + " is not a DNS message ("
                        + bad.getMessage() + "); skipped");
                continue;
            }
            if (!reply.isFresh(nowNanos) && !store.servableStale(reply, nowNanos) || !store.put(e.key(), reply)) {
                expired++;
                continue;
            }
            kept.add(Map.entry(e.key(), reply));
        }
        return new Restored(kept, routeChanged, expired, null);
    }

    /**
     * Writes every entry whose route is unchanged to {@code file}, atomically.
     *
     * @return how many entries were written
     * @throws IOException when the file cannot be written (the old one, if any, stays)
     */
    public synchronized int save(Path file) throws IOException {
        long nowMillis = wall.millis();
        long nowNanos = ticker.nanos();
        List<CacheFile.Entry> entries = new ArrayList<>();
        store.forEach((key, reply) -> {
            String stamp = key.route() == null ? null : routes.stamp(key.name(), key.route());
            if (stamp != null) {
                long storedAt = nowMillis - TimeUnit.NANOSECONDS.toMillis(nowNanos - reply.storedNanos());
                entries.add(new CacheFile.Entry(key, stamp, reply.source(), reply.upstream(), storedAt,
                        reply.lifetimeSeconds(), reply.wire()));
            }
        });
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        CacheFile.write(file, nowMillis, entries);
        saved.set(entries.size());
        return entries.size();
    }

    /** Saves to {@code file} and logs the outcome; a failure is logged (once a minute) and counted, never thrown. */
    public void saveLogged(Path file, boolean quiet) {
        long started = System.nanoTime();
        try {
            int n = save(file);
            String line = "cache: {} answers saved to {} in {} ms";
            if (quiet) {
                log.debug(line, n, file, (System.nanoTime() - started) / 1_000_000);
            } else {
                log.info(line, n, file, (System.nanoTime() - started) / 1_000_000);
            }
        } catch (IOException | RuntimeException e) {
            failedSaves.incrementAndGet();
            warnings.warn("save", "cache: cannot save to " + file + ": " + e.getMessage());
        }
    }

    /**
     * Saves every {@code period} to the file {@code file} names at that time (none: skipped), on a daemon thread
     * of its own.
     */
    public synchronized void saveEvery(Duration period, Supplier<Path> file) {
        if (saver != null) {
            return;
        }
        saver = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("cache-save").factory());
        long millis = period.toMillis();
        saver.scheduleWithFixedDelay(() -> {
            Path target = file.get();
            if (target != null) {
                saveLogged(target, true);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Returns how many entries the last save wrote. */
    public long saved() {
        return saved.get();
    }

    /** Returns how many saves failed. */
    public long failedSaves() {
        return failedSaves.get();
    }

    /** Returns how many entries the load at start put back. */
    public long restored() {
        return restored.get();
    }

    /** Stops the periodic saves (a save under way finishes first). */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = saver;
            saver = null;
        }
        if (s != null) {
            s.shutdown();
            try {
                s.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
