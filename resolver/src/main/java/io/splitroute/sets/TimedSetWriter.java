package io.splitroute.sets;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.SetWriter;
import io.splitroute.sink.TargetStats;
import io.splitroute.sink.WriteCallback;
import io.splitroute.sink.WriteResult;
import io.splitroute.sink.SetElement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SetWriter} that times every add, from the call to the kernel's acknowledgement, into
 * {@code dns.set.write.latency} tagged with the set's config name, and otherwise passes everything through.
 */
public final class TimedSetWriter implements SetWriter {
    private final SetWriter delegate;
    private final MeterRegistry registry;
    private volatile Map<SetTarget, Timer> timers;

    /**
     * @param delegate the writer that does the work (closed with this one)
     * @param sets     the configured sets: one timer per set, tagged with its config name
     * @param registry where the timers are registered
     */
    public TimedSetWriter(SetWriter delegate, Map<String, SetConfig> sets, MeterRegistry registry) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.registry = registry;
        useSets(sets);
    }

    /** Times the sets of a new config from now on (after a reload). */
    public void useSets(Map<String, SetConfig> sets) {
        Map<SetTarget, Timer> byTarget = new java.util.HashMap<>();
        sets.forEach((name, set) -> byTarget.put(set.target(), SetMeters.writeLatency(name).register(registry)));
        timers = Map.copyOf(byTarget);
    }

    /** Returns the writer this one times. */
    public SetWriter delegate() {
        return delegate;
    }

    @Override
    public CompletableFuture<WriteResult> add(SetTarget target, List<SetElement> elements) {
        Timer timer = timers.get(target);
        if (timer == null) {
            return delegate.add(target, elements);
        }
        long start = System.nanoTime();
        CompletableFuture<WriteResult> result = delegate.add(target, elements);
        result.whenComplete((ok, error) -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        return result;
    }

    @Override
    public void add(SetTarget target, List<SetElement> elements, WriteCallback callback) {
        Timer timer = timers.get(target);
        delegate.add(target, elements, timer == null ? callback : new Timed(callback, timer, System.nanoTime()));
    }

    /** Records the time to the acknowledgement, then tells the caller: one object per add, no future. */
    private record Timed(WriteCallback callback, Timer timer, long start) implements WriteCallback {
        @Override
        public void written(WriteResult result) {
            try {
                timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            } finally { // the reply waits for this call
                callback.written(result);
            }
        }
    }

    @Override
    public boolean writesOnCallingThread() {
        return delegate.writesOnCallingThread();
    }

    @Override
    public void probe(SetTarget target) throws SetException {
        delegate.probe(target);
    }

    @Override
    public void create(SetSpec spec) throws SetException {
        delegate.create(spec);
    }

    @Override
    public io.splitroute.sink.SetInspection inspect(SetTarget target, java.util.Collection<java.net.InetAddress> addresses)
            throws SetException {
        return delegate.inspect(target, addresses);
    }

    @Override
    public void writeDeadline(java.time.Duration deadline) {
        delegate.writeDeadline(deadline);
    }

    @Override
    public Map<SetTarget, TargetStats> stats() {
        return delegate.stats();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
