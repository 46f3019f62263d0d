package io.splitroute.sink;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A writer that writes nothing and reports every element written: for platforms without kernel sets. */
public final class NoopSetWriter implements SetWriter {
    /** Returns at once with every element counted as written. */
    @Override
    public CompletableFuture<WriteResult> add(SetTarget target, List<SetElement> elements) {
        return CompletableFuture.completedFuture(new WriteResult(target, elements.size(), List.of()));
    }

    /** Accepts every target. */
    @Override
    public void probe(SetTarget target) {}

    /** Does nothing. */
    @Override
    public void create(SetSpec spec) {}

    /** Does nothing. */
    @Override
    public void close() {}
}
