package io.splitroute.sets;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The kernel-set slice of the config: the top-level keys {@code sets:}, {@code set-timeout:} and
 * {@code set-write-deadline:}.
 *
 * @param sets          named kernel sets that routes write answers to
 * @param timeout       bounds and grace for the timeout of set elements
 * @param writeDeadline how long a reply waits for the kernel to acknowledge its set writes (more than 0)
 */
public record SetsConfig(Map<String, SetConfig> sets, SetTimeout timeout, Duration writeDeadline) {
    /** The default {@code set-write-deadline}: 50 ms. */
    public static final Duration DEFAULT_WRITE_DEADLINE = Duration.ofMillis(50);
    /** No sets, default timeouts and deadline. */
    public static final SetsConfig NONE = new SetsConfig(Map.of(), SetTimeout.DEFAULT, DEFAULT_WRITE_DEADLINE);

    /** Checks the values and copies the map. */
    public SetsConfig {
        sets = Map.copyOf(sets);
        Objects.requireNonNull(timeout, "timeout");
        if (writeDeadline.isNegative() || writeDeadline.isZero()) {
            throw new IllegalArgumentException("must be more than 0");
        }
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
