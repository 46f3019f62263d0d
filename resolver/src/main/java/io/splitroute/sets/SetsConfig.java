package io.splitroute.sets;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The kernel-set slice of the config: the top-level keys {@code sets:}, {@code set-timeout:},
 * {@code set-write-deadline:}, {@code set-max-addresses:}, {@code never-route:} and
 * {@code never-route-wireguard:}.
 *
 * @param sets          named kernel sets that routes write answers to
 * @param timeout       bounds and grace for the timeout of set elements
 * @param writeDeadline how long a reply waits for the kernel to acknowledge its set writes (more than 0)
 * @param maxAddresses  the most addresses written for one answer, 1 to {@link #MAX_MAX_ADDRESSES}
 * @param neverRoute    networks never written to any set, besides the built-in ones
 */
public record SetsConfig(Map<String, SetConfig> sets, SetTimeout timeout, Duration writeDeadline, int maxAddresses,
                         NeverRouteConfig neverRoute) {
    /** The default {@code set-write-deadline}: 50 ms. */
    public static final Duration DEFAULT_WRITE_DEADLINE = Duration.ofMillis(50);
    /** The default {@code set-max-addresses}: more than any CDN answer, far fewer than a hostile one. */
    public static final int DEFAULT_MAX_ADDRESSES = 32;
    /** The highest {@code set-max-addresses}: what one 64 KB answer could hold. */
    public static final int MAX_MAX_ADDRESSES = 4096;
    /** No sets, default timeouts, deadline, cap and never-route. */
    public static final SetsConfig NONE = new SetsConfig(Map.of(), SetTimeout.DEFAULT, DEFAULT_WRITE_DEADLINE);

    /** Checks the values and copies the map. */
    public SetsConfig {
        sets = Map.copyOf(sets);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(neverRoute, "neverRoute");
        if (writeDeadline.isNegative() || writeDeadline.isZero()) {
            throw new IllegalArgumentException("must be more than 0");
        }
        if (maxAddresses < 1 || maxAddresses > MAX_MAX_ADDRESSES) {
            throw new IllegalArgumentException("set-max-addresses " + maxAddresses + " is not between 1 and "
                    + MAX_MAX_ADDRESSES);
        }
    }

    /** Sets with the default cap and never-route. */
    public SetsConfig(Map<String, SetConfig> sets, SetTimeout timeout, Duration writeDeadline) {
        this(sets, timeout, writeDeadline, DEFAULT_MAX_ADDRESSES, NeverRouteConfig.DEFAULT);
    }

    /** Returns whether no set is configured. */
    public boolean isEmpty() {
        return sets.isEmpty();
    }

    /** Returns the set called {@code name}, or {@code null}. */
    public SetConfig get(String name) {
        return sets.get(name);
    }
}
