package io.splitroute.sink;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * An in-memory writer for tests and {@code --dry-run}: records every element written per target with its
 * timeout, in order. Every target exists unless told otherwise with {@link #fail}. Thread-safe.
 *
 * <p>Bounded, since a dry run may serve a network for days: like a kernel set, an element whose timeout has
 * passed is dropped (elements with {@link Duration#ZERO}, the set's default, stay), and the history keeps
 * the latest {@code historyLimit} calls.
 */
public final class RecordingSetWriter implements SetWriter {
    /** Calls kept by {@link #RecordingSetWriter()}. */
    public static final int DEFAULT_HISTORY_LIMIT = 10_000;

    private final Map<SetTarget, Map<InetAddress, Recorded>> contents = new LinkedHashMap<>();
    private final ArrayDeque<Write> history = new ArrayDeque<>();
    private final int historyLimit;
    private final LongSupplier nanoClock;
    /** Elements held (all targets) above which the next add drops the expired ones. */
    private int purgeAbove = 1024;
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

    /** An element's last timeout and when it runs out (on the nano clock); a zero timeout never runs out. */
    private record Recorded(Duration timeout, long expiresAtNanos) {
        boolean liveAt(long now) {
            return timeout.isZero() || expiresAtNanos - now > 0;
        }
    }

    /** A writer that keeps the latest {@value #DEFAULT_HISTORY_LIMIT} calls. */
    public RecordingSetWriter() {
        this(DEFAULT_HISTORY_LIMIT, System::nanoTime);
    }

    /**
     * @param historyLimit how many of the latest calls {@link #history()} keeps (at least 1)
     * @param nanoClock    the clock element timeouts run on ({@link System#nanoTime()} outside tests)
     */
    public RecordingSetWriter(int historyLimit, LongSupplier nanoClock) {
        if (historyLimit < 1) {
            throw new IllegalArgumentException("historyLimit must be at least 1: " + historyLimit);
        }
        this.historyLimit = historyLimit;
        this.nanoClock = java.util.Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Makes every later add to and probe of {@code target} fail with {@code kind} and {@code message}. */
    public synchronized RecordingSetWriter fail(SetTarget target, SetError.Kind kind, String message) {
        failures.put(target, new SetError(target, null, kind, message));
        return this;
    }

    @Override
    public synchronized CompletableFuture<WriteResult> add(SetTarget target, List<SetElement> elements) {
        if (history.size() == historyLimit) {
            history.removeFirst();
        }
        history.addLast(new Write(target, List.copyOf(elements), Instant.now()));
        SetError failure = failures.get(target);
        if (failure != null) {
            stats.recordWrite(target, elements.size(), List.of(failure));
            return CompletableFuture.completedFuture(new WriteResult(target, 0, List.of(failure)));
        }
        long now = nanoClock.getAsLong();
        purgeExpired(now);
        Map<InetAddress, Recorded> set = contents.computeIfAbsent(target, t -> new LinkedHashMap<>());
        List<SetError> errors = new ArrayList<>();
        for (SetElement element : elements) {
            if (element.family() == target.family()) {
                set.remove(element.address()); // re-added: now the latest in order
                set.put(element.address(), new Recorded(element.timeout(),
                        now + element.timeout().toNanos()));
            } else {
                errors.add(new SetError(target, element.address(), SetError.Kind.WRONG_FAMILY,
                        element.address().getHostAddress() + " does not fit " + target.displayName() + " of family "
                                + target.family().ipsetName()));
            }
        }
        stats.recordWrite(target, elements.size(), errors);
        return CompletableFuture.completedFuture(new WriteResult(target, elements.size() - errors.size(), errors));
    }

    /** Drops the elements whose timeout ran out, once enough are held that it is worth a pass. */
    private void purgeExpired(long now) {
        if (heldElements() <= purgeAbove) {
            return;
        }
        for (Map<InetAddress, Recorded> set : contents.values()) {
            set.values().removeIf(recorded -> !recorded.liveAt(now));
        }
        purgeAbove = Math.max(1024, 2 * heldElements());
    }

    /** Elements held in memory, timed out or not (also for tests of the bound). */
    synchronized int heldElements() {
        int held = 0;
        for (Map<InetAddress, Recorded> set : contents.values()) {
            held += set.size();
        }
        return held;
    }

    /** Throws the failure set with {@link #fail}, if any. */
    @Override
    public synchronized void probe(SetTarget target) throws SetException {
        SetError failure = failures.get(target);
        if (failure != null) {
            throw new SetException(failure.kind(), failure.message());
        }
    }

    /**
     * Answers from memory: every set exists unless {@link #fail} said {@code MISSING_SET} (another failure
     * is its problem); elements and members are the addresses held and not timed out.
     */
    @Override
    public synchronized SetInspection inspect(SetTarget target, Collection<InetAddress> addresses) {
        SetError failure = failures.get(target);
        if (failure != null && failure.kind() == SetError.Kind.MISSING_SET) {
            return SetInspection.missing(target, failure.message());
        }
        Map<InetAddress, Duration> live = live(contents.getOrDefault(target, Map.of()));
        Map<InetAddress, Boolean> members = new LinkedHashMap<>();
        for (InetAddress address : addresses) {
            members.put(address, live.containsKey(address));
        }
        return new SetInspection(target, true, target.family(), null, false, true, live.size(), -1,
                failure == null ? null : failure.message(), members);
    }

    /** Records the set as existing (empty) and clears a failure set for it. */
    @Override
    public synchronized void create(SetSpec spec) {
        failures.remove(spec.target());
        contents.computeIfAbsent(spec.target(), t -> new LinkedHashMap<>());
    }

    /** Returns each target's addresses (those not timed out) with the timeout last written for them. */
    public synchronized Map<SetTarget, Map<InetAddress, Duration>> contents() {
        Map<SetTarget, Map<InetAddress, Duration>> copy = new LinkedHashMap<>();
        contents.forEach((target, set) -> copy.put(target, live(set)));
        return copy;
    }

    /** Returns the addresses of {@code target} (those not timed out) with their last timeouts (empty if never written). */
    public synchronized Map<InetAddress, Duration> contents(SetTarget target) {
        return live(contents.getOrDefault(target, Map.of()));
    }

    private Map<InetAddress, Duration> live(Map<InetAddress, Recorded> set) {
        long now = nanoClock.getAsLong();
        Map<InetAddress, Duration> out = new LinkedHashMap<>();
        set.forEach((address, recorded) -> {
            if (recorded.liveAt(now)) {
                out.put(address, recorded.timeout());
            }
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Returns the latest add calls (at most the history limit), oldest first. */
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
