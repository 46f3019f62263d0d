package io.splitroute.sink;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Writes addresses into kernel sets. Implementations: {@link InlineSetWriter} (what the resolver uses),
 * {@link BatchingSetWriter}, {@link KernelSetWriter}, {@code IpsetWriter}, {@code NftSetWriter},
 * {@link RecordingSetWriter}, {@link NoopSetWriter}.
 */
public interface SetWriter extends AutoCloseable {
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

    /** Returns counters per target written or probed so far. */
    default Map<SetTarget, TargetStats> stats() {
        return Map.of();
    }

    /** Releases the socket(s) and threads; later adds fail. */
    @Override
    void close();
}
