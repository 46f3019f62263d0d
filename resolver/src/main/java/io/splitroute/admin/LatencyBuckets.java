package io.splitroute.admin;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The histogram buckets of every DNS latency timer: 50 µs (a cache hit) to 2 s (a slow upstream). */
final class LatencyBuckets {
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)};


    private LatencyBuckets() {}

    /** Returns a timer builder named {@code name} with these buckets. */
    static Timer.Builder timer(String name) {
        return Timer.builder(name).serviceLevelObjectives(BUCKETS).minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1])
                .distributionStatisticBufferLength(1); // one ring buffer, not three: cheaper per query
    }
}
