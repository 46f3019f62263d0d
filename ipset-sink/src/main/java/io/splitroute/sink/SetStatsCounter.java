package io.splitroute.sink;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Thread-safe per-target counters behind {@link SetWriter#stats()}. Elements refused by a full set are
 * also reported to {@link FullSetLog}, which logs each set at most once a minute.
 */
public final class SetStatsCounter {
    private final Map<SetTarget, Counters> counters = new ConcurrentHashMap<>();

    private static final class Counters {
        final AtomicLong writes = new AtomicLong();
        final AtomicLong elements = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong full = new AtomicLong();
        volatile long live = -1;
        volatile long max = -1;
        volatile Instant lastFull;
        /** The latest error and its time, replaced together. */
        volatile TimedError lastError;
    }

    private record TimedError(SetError error, Instant at) {}

    /** Counts one write to {@code target}: {@code written} elements acknowledged, {@code failed} not. */
    public void recordWrite(SetTarget target, int written, int failed) {
        Counters c = counters.computeIfAbsent(target, t -> new Counters());
        c.writes.incrementAndGet();
        c.elements.addAndGet(written);
        c.failed.addAndGet(failed);
    }

    /**
     * Counts one write of {@code total} elements to {@code target} given its errors: a whole-target error
     * fails them all, otherwise each error is one failed element. Notes the latest error, and elements
     * refused because the set is full.
     */
    public void recordWrite(SetTarget target, int total, List<SetError> errors) {
        if (errors.isEmpty()) { // the usual write: nothing more to look at
            recordWrite(target, total, 0);
            return;
        }
        int failed = Math.min(total, errors.size());
        int full = 0;
        SetError firstFull = null;
        for (int i = 0; i < errors.size(); i++) {
            SetError error = errors.get(i);
            if (error.wholeTarget()) {
                failed = total;
            }
            if (error.kind() == SetError.Kind.SET_FULL) {
                full += error.wholeTarget() ? total : 1;
                firstFull = firstFull == null ? error : firstFull;
            }
        }
        recordWrite(target, total - failed, failed);
        Counters c = counters.get(target);
        Instant now = Instant.now();
        c.lastError = new TimedError(errors.getFirst(), now);
        if (firstFull != null) {
            c.full.addAndGet(full);
            c.lastFull = now;
            FullSetLog.refused(target, full, firstFull);
        }
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
            TimedError last = c.lastError;
            return new TargetStats(c.writes.get(), c.elements.get(), c.failed.get(), c.live, c.max, c.full.get(),
                    c.lastFull, last == null ? null : last.error(), last == null ? null : last.at());
        }));
    }
}
