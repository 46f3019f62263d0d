package io.splitroute.sink;

import java.time.Duration;
import java.time.Instant;

/**
 * Counters of one target since the writer opened, for export as metrics and for health checks.
 *
 * @param writes kernel writes for this target (a BatchingSetWriter groups many add calls into one)
 * @param elements elements the kernel acknowledged
 * @param failedElements elements that failed (including whole-target failures)
 * @param liveElements elements in the set at the last probe (call probe again to refresh), or -1 if unknown
 * @param maxElements the set's capacity (ipset maxelem, nft size) at the last probe, or -1 if unknown
 * @param fullElements elements refused because the set was full (included in {@code failedElements})
 * @param lastFull when a write last found the set full, or {@code null} if none did
 * @param lastError the latest error of a write to this target, or {@code null} if none failed
 * @param lastErrorTime when {@code lastError} happened, or {@code null}
 */
public record TargetStats(long writes, long elements, long failedElements, long liveElements, long maxElements,
        long fullElements, Instant lastFull, SetError lastError, Instant lastErrorTime) {
    /** Counters of a target that has had no error. */
    public TargetStats(long writes, long elements, long failedElements, long liveElements, long maxElements) {
        this(writes, elements, failedElements, liveElements, maxElements, 0, null, null, null);
    }

    /** Returns whether a write found the set full during the {@code window} before {@code now}. */
    public boolean fullWithin(Duration window, Instant now) {
        return lastFull != null && !lastFull.isBefore(now.minus(window));
    }

    /**
     * Returns these counters added to {@code other}'s (two writers of the same target): sums, the latest
     * full time and error, and the element count and capacity of whichever knows them.
     */
    public TargetStats plus(TargetStats other) {
        boolean mine = other.lastErrorTime == null || (lastErrorTime != null && lastErrorTime.isAfter(other.lastErrorTime));
        return new TargetStats(writes + other.writes, elements + other.elements, failedElements + other.failedElements,
                liveElements >= 0 ? liveElements : other.liveElements, maxElements >= 0 ? maxElements : other.maxElements,
                fullElements + other.fullElements, later(lastFull, other.lastFull),
                mine ? lastError : other.lastError, mine ? lastErrorTime : other.lastErrorTime);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
