package io.splitroute.unlisted;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.splitroute.query.Ticker;
import io.splitroute.query.Verdict;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The verdicts of names on no list (name to domestic or foreign), each for as long as the answer that decided
 * it lives, so that a name's later misses ask only the side they need. Bounded in entries; one instance for the
 * life of the server, so verdicts outlive reloads. About 170 bytes of heap per name: the addresses are kept as
 * bytes, at most {@value VerdictRules#KEPT_ADDRESSES}.
 *
 * <p>It is not saved on its own: each cached answer of a name on no list carries its verdict into the cache file,
 * and {@link #restore} puts those back at start.
 */
public final class VerdictCache {
    private final Cache<String, Remembered> cache;

    /**
     * @param maximumSize the most names kept (0: none)
     * @param ticker      the clock entries expire by
     */
    public VerdictCache(int maximumSize, Ticker ticker) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker::nanos)
                // Maintenance on the calling thread, as the response cache does: no pool thread woken per miss.
                .executor(Runnable::run)
                .expireAfter(new ByLifetime())
                .build();
    }

    /** Returns the remembered verdict of {@code name} (marked {@link Verdict#remembered()}), or {@code null}. */
    public Verdict get(String name) {
        Remembered r = cache.getIfPresent(name);
        return r == null ? null : r.verdict();
    }

    /** Remembers {@code verdict} for {@code name} for {@code seconds}; an undecided one, or 0 seconds, is not kept. */
    public void put(String name, Verdict verdict, long seconds) {
        if (seconds <= 0 || verdict.kind() == Verdict.Kind.UNDECIDED) {
            return;
        }
        cache.put(name, Remembered.of(verdict, seconds));
    }

    /** Forgets the verdict of {@code name}. */
    public void forget(String name) {
        cache.invalidate(name);
    }

    /** Returns how many names have a verdict (entries not yet cleaned up included). */
    public long size() {
        return cache.estimatedSize();
    }

    /** Sets the most names kept (a reload). */
    public void resize(int maximumSize) {
        cache.policy().eviction().ifPresent(e -> e.setMaximum(maximumSize));
    }

    /**
     * Remembers the verdict a cache entry restored from the cache file was served by, for the {@code secondsLeft}
     * of its lifetime: as when it was made, one the domestic side did not decide (it failed) is not kept, nor an
     * undecided one.
     */
    public void restore(String name, Verdict verdict, long secondsLeft) {
        if (verdict.reason() != Verdict.Reason.DOMESTIC_FAILED) {
            put(name, verdict, secondsLeft);
        }
    }

    /** A verdict in compact form, with its lifetime. */
    private record Remembered(byte kind, byte reason, byte[] addresses, String list, long seconds) {
        static Remembered of(Verdict v, long seconds) {
            int size = 0;
            for (InetAddress a : v.addresses()) {
                size += 1 + a.getAddress().length;
            }
            byte[] packed = new byte[size];
            int at = 0;
            for (InetAddress a : v.addresses()) {
                byte[] raw = a.getAddress();
                packed[at++] = (byte) raw.length;
                System.arraycopy(raw, 0, packed, at, raw.length);
                at += raw.length;
            }
            return new Remembered((byte) v.kind().ordinal(), (byte) v.reason().ordinal(), packed, v.list(), seconds);
        }

        Verdict verdict() {
            List<InetAddress> out = new ArrayList<>(2);
            for (int at = 0; at < addresses.length; at += 1 + addresses[at]) {
                try {
                    out.add(InetAddress.getByAddress(java.util.Arrays.copyOfRange(addresses, at + 1, at + 1 + addresses[at])));
                } catch (UnknownHostException e) { // 4 or 16 bytes, as packed: cannot happen
                    throw new IllegalStateException(e);
                }
            }
            return new Verdict(Verdict.Kind.values()[kind], Verdict.Reason.values()[reason], out, list, true);
        }
    }

    /** Each verdict lives for the lifetime it was put with; a read does not extend it. */
    private static final class ByLifetime implements Expiry<String, Remembered> {
        @Override
        public long expireAfterCreate(String key, Remembered value, long currentTime) {
            return TimeUnit.SECONDS.toNanos(value.seconds());
        }

        @Override
        public long expireAfterUpdate(String key, Remembered value, long currentTime, long currentDuration) {
            return TimeUnit.SECONDS.toNanos(value.seconds());
        }

        @Override
        public long expireAfterRead(String key, Remembered value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
