package io.splitroute.sets;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts of set elements ({@code set-timeout:}): the record's remaining TTL (or the cache's remaining
 * lifetime, if longer) plus {@code grace}, clamped to {@code [min, max]}.
 *
 * @param min   shortest timeout
 * @param max   longest timeout, at most {@link #KERNEL_MAX}
 * @param grace added to the remaining TTL, so a client that connects late still finds the entry
 */
public record SetTimeout(Duration min, Duration max, Duration grace) {
    /** The kernel's limit on an element's timeout. */
    public static final Duration KERNEL_MAX = Duration.ofSeconds(2_147_483L);
    /** The defaults: 300 s to 86400 s, 60 s grace. */
    public static final SetTimeout DEFAULT = new SetTimeout(Duration.ofSeconds(300), Duration.ofSeconds(86_400),
            Duration.ofSeconds(60));

    /** Checks the bounds; messages carry the values. */
    public SetTimeout {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(grace, "grace");
        if (max.compareTo(KERNEL_MAX) > 0) {
            throw new IllegalArgumentException("the kernel's limit is " + KERNEL_MAX.toSeconds() + " s");
        }
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException("min " + min.toSeconds() + " s is above max " + max.toSeconds() + " s");
        }
    }
}
