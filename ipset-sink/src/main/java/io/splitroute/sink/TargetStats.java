package io.splitroute.sink;

/**
 * Counters of one target since the writer opened, for export as metrics.
 *
 * @param writes add calls that reached the kernel for this target
 * @param elements elements the kernel acknowledged
 * @param failedElements elements that failed (including whole-target failures)
 * @param liveElements elements in the set at the last probe, or -1 if unknown
 * @param maxElements the set's capacity (ipset maxelem, nft size) at the last probe, or -1 if unknown
 */
public record TargetStats(long writes, long elements, long failedElements, long liveElements, long maxElements) {}
