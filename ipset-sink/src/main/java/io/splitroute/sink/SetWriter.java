package io.splitroute.sink;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Writes addresses into kernel sets. Implementations: {@link InlineSetWriter} (what the resolver uses),
 * {@link BatchingSetWriter}, {@link KernelSetWriter}, {@code IpsetWriter}, {@code NftSetWriter},
 * {@link RecordingSetWriter}, {@link NoopSetWriter}.
 */
public interface SetWriter extends AutoCloseable {
    /** The write deadline of a writer not told another: the resolver's default {@code set-write-deadline}. */
    Duration DEFAULT_WRITE_DEADLINE = Duration.ofMillis(50);

    /**
     * Adds {@code elements} to {@code target}; existing elements get the new timeout.
     *
     * @return a future completed once the kernel acknowledged (the elements are then live), never
     *     exceptionally for kernel errors: those are in {@link WriteResult#errors()}
     */
    CompletableFuture<WriteResult> add(SetTarget target, List<SetElement> elements);

    /**
     * Adds {@code elements} to {@code target} like {@link #add(SetTarget, List)}, and tells {@code callback}
     * the result instead of completing a future. Writers on the hot path override it to allocate nothing
     * per call beyond their own bookkeeping; this default adapts the future.
     */
    default void add(SetTarget target, List<SetElement> elements, WriteCallback callback) {
        add(target, elements).whenComplete((result, error) -> WriteResults.tell(callback,
                result != null ? result : WriteResults.failed(target, "the set writer failed: " + error)));
    }

    /**
     * Whether an {@link #add} the calling thread makes now is written by this same thread before it goes
     * back to waiting for I/O (or is complete when {@code add} returns). Such an add cannot outlive a
     * deadline that only this thread could act on, so the caller needs no timer for it: a timer on another
     * thread would cost a wake-up of that thread per add for nothing.
     */
    default boolean writesOnCallingThread() {
        return false;
    }

    /**
     * Checks that {@code target} exists and holds its family; notes its timeout support and capacity.
     *
     * @throws SetException with the text to show the user (e.g. how to create the set)
     */
    void probe(SetTarget target) throws SetException;

    /** Creates the set described by {@code spec} if it does not exist ({@code create: true}). */
    void create(SetSpec spec) throws SetException;

    /**
     * Asks the kernel about {@code target}: whether it exists, its family, type, timeout support, element
     * count and capacity, whether it can be written as configured, and which of {@code addresses} it holds.
     * A missing or unusable set is an answer, not an exception. Not for the query path: it may block for a
     * few milliseconds (on a writer thread or the caller's).
     *
     * <p>This default, for writers without a kernel behind them, answers from {@link #probe} and
     * {@link #stats()}: existence and the problem only, no members.
     *
     * @throws SetException if the kernel cannot be asked (no CAP_NET_ADMIN, a socket failure)
     */
    default SetInspection inspect(SetTarget target, Collection<InetAddress> addresses) throws SetException {
        try {
            probe(target);
        } catch (SetException e) {
            return switch (e.kind()) {
                case MISSING_SET -> SetInspection.missing(target, e.getMessage());
                case WRONG_FAMILY, NO_TIMEOUT_SUPPORT, REJECTED ->
                        new SetInspection(target, true, null, null, false, false, -1, -1, e.getMessage(), Map.of());
                default -> throw e;
            };
        }
        TargetStats stats = stats().get(target);
        return new SetInspection(target, true, target.family(), null, false, false,
                stats == null ? -1 : stats.liveElements(), stats == null ? -1 : stats.maxElements(), null, Map.of());
    }

    /**
     * Sets how long a write waits for the kernel's acknowledgement (the resolver's {@code set-write-deadline}):
     * a write not acknowledged by then is reported with {@link SetError.Kind#UNACKNOWLEDGED} errors, so an
     * event loop never waits longer on a receive. Writers without a kernel ignore it.
     */
    default void writeDeadline(Duration deadline) {}

    /** Returns counters per target written or probed so far. */
    default Map<SetTarget, TargetStats> stats() {
        return Map.of();
    }

    /** Releases the socket(s) and threads; later adds fail. */
    @Override
    void close();
}
