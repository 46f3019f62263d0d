package io.splitroute.sets;

import io.splitroute.logging.ThrottledLog;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * Counts the addresses of upstream answers kept out of the kernel sets, by reason, and logs each reason at
 * most once a minute. Shared by the scrubber (out-of-chain records) and the set stage (never-route, cap);
 * {@link SetMeters} publishes the counts as {@code dns.upstream.dropped}.
 */
public final class AddressDrops {
    /** Why an address was not written; {@link #tag()} is the meter's {@code reason} tag. */
    public enum Reason {
        /** Owned by a name outside the question's CNAME chain: removed from the answer too. */
        OUT_OF_CHAIN,
        /** On a {@code never-route} network (defaults included). */
        NEVER_ROUTE,
        /** Beyond {@code set-max-addresses} for one answer. */
        CAP;

        /** Returns the tag value: {@code out-of-chain}, {@code never-route}, {@code cap}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(AddressDrops.class), 60);

    private final LongAdder[] counts = new LongAdder[Reason.values().length];

    /** Creates the counters, all 0. */
    public AddressDrops() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts {@code addresses} dropped for {@code reason} and logs {@code message} unless logged this minute. */
    public void drop(Reason reason, int addresses, String message) {
        counts[reason.ordinal()].add(addresses);
        log.warn(reason.tag(), message);
    }

    /** Returns how many addresses were dropped for {@code reason}. */
    public long count(Reason reason) {
        return counts[reason.ordinal()].sum();
    }
}
