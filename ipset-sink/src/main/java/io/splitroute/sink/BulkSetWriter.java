package io.splitroute.sink;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A kernel dialect that writes many targets' elements in as few round trips as it can, on the calling
 * thread. {@link BatchingSetWriter} drives one from its own platform thread; {@link #add} lets it be used
 * directly (callers are then serialised on the writer). It blocks in a native receive, so it refuses to
 * run on a virtual thread: use {@link BatchingSetWriter} there.
 */
public interface BulkSetWriter extends SetWriter {
    /**
     * Writes every target's elements and waits for the kernel's acks. Must not be called concurrently.
     *
     * @return for each target given, the errors (empty when all elements were written)
     */
    Map<SetTarget, List<SetError>> write(Map<SetTarget, List<SetElement>> elementsByTarget);

    /** Writes one target's elements (the usual call); the errors, empty when all were written. */
    default List<SetError> write(SetTarget target, List<SetElement> elements) {
        return write(Map.of(target, elements)).get(target);
    }

    /** Writes {@code elements} on the calling thread; the returned future is already complete. */
    @Override
    default CompletableFuture<WriteResult> add(SetTarget target, List<SetElement> elements) {
        List<SetError> errors;
        synchronized (this) {
            errors = write(target, elements);
        }
        return CompletableFuture.completedFuture(WriteResults.of(target, elements, errors));
    }
}
