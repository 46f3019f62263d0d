package io.splitroute.sets;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.splitroute.logging.ThrottledLog;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.SetWriter;
import io.splitroute.sink.TargetStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.slf4j.LoggerFactory;

/**
 * The kernel-set meters, in one binder: per set (tag {@code set}, the config name) writes, elements, failed
 * elements, the live element count and the capacity; the stage's deadline misses and failed writes; the
 * addresses kept out of the sets ({@code dns.upstream.dropped}, by reason); and {@code dns.set.write.latency},
 * recorded by {@link TimedSetWriter}. The per-set meters follow the config
 * on reload ({@link #rebind}).
 */
public final class SetMeters implements MeterBinder {
    private static final ThrottledLog warnings = new ThrottledLog(LoggerFactory.getLogger(SetMeters.class), 300);
    private static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Set writes take microseconds: buckets from 10 µs to 100 ms, with 200 µs (a write's budget) among them. */
    private static final Duration[] WRITE_BUCKETS = {
        Duration.ofNanos(10_000), Duration.ofNanos(20_000), Duration.ofNanos(50_000), Duration.ofNanos(100_000),
        Duration.ofNanos(200_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100)};

    private final SetWriteStage stage;
    private final SetWriter writer;
    private final List<Meter> perSet = new ArrayList<>();
    private final AtomicLong lastProbe = new AtomicLong(System.nanoTime() - PROBE_INTERVAL_NANOS);
    private volatile Map<String, SetConfig> sets;
    private MeterRegistry registry;

    /**
     * @param stage  the set write stage (deadline and failure counters)
     * @param writer the set writer (per-set counters; probed at most every 10 s for the live count)
     * @param sets   the configured sets by name
     */
    public SetMeters(SetWriteStage stage, SetWriter writer, Map<String, SetConfig> sets) {
        this.stage = stage;
        this.writer = writer;
        this.sets = Map.copyOf(sets);
    }

    /** Returns the builder of one set's {@code dns.set.write.latency} timer. */
    static Timer.Builder writeLatency(String set) {
        return Timer.builder("dns.set.write.latency")
                .description("Time from handing addresses to the set writer to the kernel's acknowledgement")
                .tag("set", set)
                .serviceLevelObjectives(WRITE_BUCKETS).minimumExpectedValue(WRITE_BUCKETS[0])
                .maximumExpectedValue(WRITE_BUCKETS[WRITE_BUCKETS.length - 1])
                .distributionStatisticBufferLength(1); // one ring buffer, not three: cheaper per write
    }

    @Override
    public synchronized void bindTo(MeterRegistry target) {
        this.registry = target;
        FunctionCounter.builder("dns.set.deadline.missed", stage, SetWriteStage::deadlineMissed)
                .description("Replies released before the kernel acknowledged their set writes").register(target);
        FunctionCounter.builder("dns.set.write.failures", stage, SetWriteStage::failedWrites)
                .description("Set writes (per set and reply) that failed").register(target);
        for (AddressDrops.Reason reason : AddressDrops.Reason.values()) {
            FunctionCounter.builder("dns.upstream.dropped", stage.drops(), d -> d.count(reason))
                    .description("Addresses of upstream answers kept out of the kernel sets, by reason: out-of-chain"
                            + " (also removed from the answer), never-route, cap (beyond set-max-addresses)")
                    .tag("reason", reason.tag()).register(target);
        }
        bindPerSet();
    }

    /** After a reload: replaces the per-set meters with those of the new config's sets. */
    public synchronized void rebind(Map<String, SetConfig> newSets) {
        perSet.forEach(registry::remove);
        perSet.clear();
        sets = Map.copyOf(newSets);
        bindPerSet();
    }

    private void bindPerSet() {
        sets.forEach((name, set) -> {
            SetTarget target = set.target();
            Tags tags = Tags.of("set", name);
            counter("dns.set.writes", "Writes to the kernel set", tags, w -> stat(target).writes());
            counter("dns.set.elements", "Elements the kernel acknowledged", tags, w -> stat(target).elements());
            counter("dns.set.failed.elements", "Elements that could not be written", tags,
                    w -> stat(target).failedElements());
            gauge("dns.set.live.elements", "Elements in the kernel set (ipset: probed at most every 10 s)", tags,
                    m -> known(liveStat(target).liveElements()));
            gauge("dns.set.max.elements", "Capacity of the kernel set (ipset maxelem, nft size)", tags,
                    m -> known(stat(target).maxElements()));
        });
    }

    private TargetStats liveStat(SetTarget target) {
        long last = lastProbe.get();
        long now = System.nanoTime();
        if (now - last >= PROBE_INTERVAL_NANOS && lastProbe.compareAndSet(last, now)) {
            sets.values().forEach(set -> probe(set.target()));
        }
        return stat(target);
    }

    private void probe(SetTarget target) {
        try {
            writer.probe(target);
        } catch (SetException | RuntimeException e) {
            warnings.warn("probe " + target.displayName(), "cannot probe " + target.displayName()
                    + " for its element count: " + e.getMessage());
        }
    }

    private TargetStats stat(SetTarget target) {
        TargetStats stats = writer.stats().get(target);
        return stats != null ? stats : new TargetStats(0, 0, 0, -1, -1);
    }

    private static double known(long value) {
        return value < 0 ? Double.NaN : value;
    }

    private void counter(String name, String description, Tags tags, ToLongFunction<SetWriter> value) {
        perSet.add(FunctionCounter.builder(name, writer, w -> value.applyAsLong(w)).description(description).tags(tags)
                .register(registry));
    }

    private void gauge(String name, String description, Tags tags, ToDoubleFunction<SetMeters> value) {
        perSet.add(Gauge.builder(name, this, value).description(description).tags(tags).register(registry));
    }
}
