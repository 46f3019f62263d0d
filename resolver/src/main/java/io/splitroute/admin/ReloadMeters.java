package io.splitroute.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The outcome of reloads, however they were asked for (SIGHUP or {@code POST /reload}):
 * {@code config.reloads} by result, and the result and time of the last one.
 */
final class ReloadMeters {
    private final Counter applied;
    private final Counter rejected;
    private volatile double lastSuccess = Double.NaN;
    private volatile double lastTime = Double.NaN;

    ReloadMeters(MeterRegistry registry) {
        applied = counter(registry, "applied");
        rejected = counter(registry, "rejected");
        Gauge.builder("config.reload.last.success", this, m -> m.lastSuccess)
                .description("1 when the last reload was applied, 0 when it was rejected (absent value: none yet)")
                .register(registry);
        Gauge.builder("config.reload.last.time", this, m -> m.lastTime).baseUnit("seconds")
                .description("When the last reload was attempted (Unix time)").register(registry);
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("config.reloads").description("Reloads of the config and lists, by result")
                .tag("result", result).register(registry);
    }

    /** Records one reload. */
    void record(boolean wasApplied) {
        (wasApplied ? applied : rejected).increment();
        lastSuccess = wasApplied ? 1 : 0;
        lastTime = System.currentTimeMillis() / 1000.0;
    }
}
