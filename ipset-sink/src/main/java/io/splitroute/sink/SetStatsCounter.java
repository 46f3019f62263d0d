package io.splitroute.sink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** Thread-safe per-target counters behind {@link SetWriter#stats()}. */
public final class SetStatsCounter {
    private final Map<SetTarget, Counters> counters = new ConcurrentHashMap<>();

    private static final class Counters {
        final AtomicLong writes = new AtomicLong();
        final AtomicLong elements = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        volatile long live = -1;
        volatile long max = -1;
    }

    /** Counts one write to {@code target}: {@code written} elements acknowledged, {@code failed} not. */
    public void recordWrite(SetTarget target, int written, int failed) {
        Counters c = counters.computeIfAbsent(target, t -> new Counters());
        c.writes.incrementAndGet();
        c.elements.addAndGet(written);
        c.failed.addAndGet(failed);
    }

    /**
     * Counts one write of {@code total} elements to {@code target} given its errors: a whole-target error
     * fails them all, otherwise each error is one failed element.
     */
    public void recordWrite(SetTarget target, int total, java.util.List<SetError> errors) {
        int failed = Math.min(total, errors.size());
        for (int i = 0; i < errors.size(); i++) {
            if (errors.get(i).wholeTarget()) {
                failed = total;
                break;
            }
        }
        recordWrite(target, total - failed, failed);
    }

    /** Notes the element count and capacity seen by a probe (-1 for unknown). */
    public void recordProbe(SetTarget target, long liveElements, long maxElements) {
        Counters c = counters.computeIfAbsent(target, t -> new Counters());
        c.live = liveElements;
        c.max = maxElements;
    }

    /** Returns a snapshot of every target's counters. */
    public Map<SetTarget, TargetStats> snapshot() {
        return counters.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> {
            Counters c = e.getValue();
            return new TargetStats(c.writes.get(), c.elements.get(), c.failed.get(), c.live, c.max);
        }));
    }
}
