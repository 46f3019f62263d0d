package io.splitroute.sink;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory writer for tests and {@code --dry-run}: records every element written per target with its
 * timeout, in order. Every target exists unless told otherwise with {@link #fail}. Thread-safe.
 */
public final class RecordingSetWriter implements SetWriter {
    private final Map<SetTarget, Map<InetAddress, Duration>> contents = new LinkedHashMap<>();
    private final List<Write> history = new ArrayList<>();
    private final Map<SetTarget, SetError> failures = new LinkedHashMap<>();
    private final SetStatsCounter stats = new SetStatsCounter();

    /**
     * One recorded add call.
     *
     * @param target the set
     * @param elements the elements, as given
     * @param at when the call was made
     */
    public record Write(SetTarget target, List<SetElement> elements, Instant at) {}

    /** Makes every later add to and probe of {@code target} fail with {@code kind} and {@code message}. */
    public synchronized RecordingSetWriter fail(SetTarget target, SetError.Kind kind, String message) {
        failures.put(target, new SetError(target, null, kind, message));
        return this;
    }

    @Override
    public synchronized CompletableFuture<WriteResult> add(SetTarget target, List<SetElement> elements) {
        history.add(new Write(target, List.copyOf(elements), Instant.now()));
        SetError failure = failures.get(target);
        if (failure != null) {
            stats.recordWrite(target, 0, elements.size());
            return CompletableFuture.completedFuture(new WriteResult(target, 0, List.of(failure)));
        }
        Map<InetAddress, Duration> set = contents.computeIfAbsent(target, t -> new LinkedHashMap<>());
        List<SetError> errors = new ArrayList<>();
        for (SetElement element : elements) {
            if (element.family() == target.family()) {
                set.put(element.address(), element.timeout());
            } else {
                errors.add(new SetError(target, element.address(), SetError.Kind.WRONG_FAMILY,
                        element.address().getHostAddress() + " does not fit " + target.displayName() + " of family "
                                + target.family().ipsetName()));
            }
        }
        stats.recordWrite(target, elements.size() - errors.size(), errors.size());
        return CompletableFuture.completedFuture(new WriteResult(target, elements.size() - errors.size(), errors));
    }

    /** Throws the failure set with {@link #fail}, if any. */
    @Override
    public synchronized void probe(SetTarget target) throws SetException {
        SetError failure = failures.get(target);
        if (failure != null) {
            throw new SetException(failure.kind(), failure.message());
        }
    }

    /** Records the set as existing (empty) and clears a failure set for it. */
    @Override
    public synchronized void create(SetSpec spec) {
        failures.remove(spec.target());
        contents.computeIfAbsent(spec.target(), t -> new LinkedHashMap<>());
    }

    /** Returns each target's addresses with the timeout last written for them. */
    public synchronized Map<SetTarget, Map<InetAddress, Duration>> contents() {
        Map<SetTarget, Map<InetAddress, Duration>> copy = new LinkedHashMap<>();
        contents.forEach((target, set) -> copy.put(target, Map.copyOf(set)));
        return copy;
    }

    /** Returns the addresses of {@code target} with their last timeouts (empty if never written). */
    public synchronized Map<InetAddress, Duration> contents(SetTarget target) {
        return Map.copyOf(contents.getOrDefault(target, Map.of()));
    }

    /** Returns every add call in order. */
    public synchronized List<Write> history() {
        return List.copyOf(history);
    }

    /** Forgets every element and call (as {@code ipset flush} would), keeping configured failures. */
    public synchronized void clear() {
        contents.clear();
        history.clear();
    }

    @Override
    public Map<SetTarget, TargetStats> stats() {
        return stats.snapshot();
    }

    /** Does nothing. */
    @Override
    public void close() {}
}
