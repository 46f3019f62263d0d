package io.splitroute.pipeline;

import io.splitroute.cache.CachedReply;
import io.splitroute.config.AaaaPolicy;
import io.splitroute.config.SetConfig;
import io.splitroute.logging.ThrottledLog;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.sets.AnswerAddresses;
import io.splitroute.sets.AnswerAddresses.Found;
import io.splitroute.sets.SetTimeouts;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.SetElement;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.SetWriter;
import io.splitroute.sink.WriteCallback;
import io.splitroute.sink.WriteResult;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Rcode;

/**
 * Writes the addresses of every answer on a route with sets into those sets, and releases the reply only
 * once the kernel has acknowledged (or the deadline passed). It sits above the cache, so answers served
 * from the cache refresh their entries too: an entry never expires while the cache still serves the name.
 */
public final class SetWriteStage implements QueryStage {
    private static final ThrottledLog warnings = new ThrottledLog(LoggerFactory.getLogger(SetWriteStage.class), 60);

    private final SetWriter writer;
    private volatile SetTimeouts timeouts;
    private volatile long deadlineNanos;
    private final QueryStage next;
    private final LongAdder deadlineMissed = new LongAdder();
    private final LongAdder failedWrites = new LongAdder();

    /**
     * @param writer   the kernel set writer
     * @param timeouts how element timeouts follow TTLs
     * @param deadline how long a reply waits for the kernel's acknowledgement
     * @param next     the next stage (the cache)
     */
    public SetWriteStage(SetWriter writer, SetTimeouts timeouts, Duration deadline, QueryStage next) {
        this.writer = writer;
        this.timeouts = timeouts;
        this.deadlineNanos = deadline.toNanos();
        this.next = next;
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        Route route = query.route();
        if (route == null || route.sets().isEmpty()) {
            return next.resolve(query);
        }
        CompletableFuture<Resolution> resolved = next.resolve(query);
        if (resolved.isDone() && !resolved.isCompletedExceptionally()) { // a cache hit: no stage in between
            try {
                return write(route, resolved.join());
            } catch (RuntimeException e) { // as thenCompose would report it
                return CompletableFuture.failedFuture(e);
            }
        }
        return resolved.thenCompose(resolution -> write(route, resolution));
    }

    /** Applies new timeout bounds and deadline (a reload). */
    public void reconfigure(SetTimeouts newTimeouts, Duration newDeadline) {
        this.timeouts = newTimeouts;
        this.deadlineNanos = newDeadline.toNanos();
    }

    /** Returns how many replies were released before the kernel acknowledged their writes. */
    public long deadlineMissed() {
        return deadlineMissed.sum();
    }

    /** Returns how many writes failed (per set and reply). */
    public long failedWrites() {
        return failedWrites.sum();
    }

    private CompletableFuture<Resolution> write(Route route, Resolution resolution) {
        if (resolution.rcode() != Rcode.NOERROR) {
            return CompletableFuture.completedFuture(resolution);
        }
        CachedReply cached = resolution.cached();
        boolean withIpv6 = route.aaaa() == AaaaPolicy.SET;
        List<Found> found = cached != null ? cached.addresses(withIpv6) : AnswerAddresses.of(resolution.reply(), withIpv6);
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(resolution);
        }
        long age = cached == null ? 0 : cached.ageSeconds(System.nanoTime());
        long lifetime = cached == null ? 0 : cached.lifetimeSeconds();
        List<SetConfig> sets = route.sets();
        Release release;
        if (sets.size() == 1) { // the usual route: one set, no lists to build
            SetConfig set = sets.getFirst();
            List<SetElement> elements = elements(found, set.target().family(), age, lifetime);
            if (elements.isEmpty()) {
                return CompletableFuture.completedFuture(resolution);
            }
            release = new Release(resolution, sets);
            writer.add(set.target(), elements, release);
        } else {
            List<SetConfig> targets = new ArrayList<>(sets.size());
            List<List<SetElement>> perTarget = new ArrayList<>(sets.size());
            for (int i = 0; i < sets.size(); i++) {
                SetConfig set = sets.get(i);
                List<SetElement> elements = elements(found, set.target().family(), age, lifetime);
                if (!elements.isEmpty()) {
                    targets.add(set);
                    perTarget.add(elements);
                }
            }
            if (targets.isEmpty()) {
                return CompletableFuture.completedFuture(resolution);
            }
            release = new Release(resolution, targets); // counts the writes before the first can be told
            for (int i = 0; i < targets.size(); i++) {
                writer.add(targets.get(i).target(), perTarget.get(i), release);
            }
        }
        if (!writer.writesOnCallingThread()) {
            // Written on another thread: the reply waits for it at most the deadline. (A write on this
            // thread, the event loop's, is done before the loop reads again: no timer, whose every arming
            // and cancelling would wake the JDK's delay-scheduler thread, one context switch per answer.)
            // Asked after the adds: a writer closed meanwhile sent them to another thread.
            release.armDeadline(deadlineNanos);
        }
        return release;
    }

    private List<SetElement> elements(List<Found> found, AddressFamily family, long age, long lifetime) {
        if (found.size() == 1) { // the usual answer: one address, no list to grow
            Found f = found.getFirst();
            return (f.address() instanceof Inet4Address) == (family == AddressFamily.INET)
                    ? List.of(new SetElement(f.address(), timeouts.timeout(f.ttl(), age, lifetime))) : List.of();
        }
        List<SetElement> out = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            Found f = found.get(i);
            boolean v4 = f.address() instanceof Inet4Address;
            if (v4 == (family == AddressFamily.INET)) {
                out.add(new SetElement(f.address(), timeouts.timeout(f.ttl(), age, lifetime)));
            }
        }
        return out;
    }

    /**
     * One reply waiting for the writes of its sets: the callback of each, and the future the stage returns.
     * It completes with the reply (or SERVFAIL, per the sets' policy) when the last write is told, or at
     * the deadline, whichever comes first; a write told later is ignored, having been counted as missed.
     * One object per answer instead of a future per write and continuations to join them: on the hot path
     * that garbage was most of what a set write cost the reply, through more frequent GC pauses.
     */
    private final class Release extends CompletableFuture<Resolution> implements WriteCallback {
        private final Resolution resolution;
        private final List<SetConfig> sets;
        /** Per set, its write's result once told (guarded by this). */
        private final WriteResult[] results;
        private int waiting;
        private boolean released;
        /** Completed by the deadline timer, or by us to cancel it; null when no deadline is armed. */
        private CompletableFuture<Void> deadline;

        Release(Resolution resolution, List<SetConfig> sets) {
            this.resolution = resolution;
            this.sets = sets;
            this.results = new WriteResult[sets.size()];
            this.waiting = sets.size();
        }

        @Override
        public void written(WriteResult result) {
            CompletableFuture<Void> timer;
            synchronized (this) {
                if (released) {
                    return;
                }
                int slot = slot(result.target());
                if (slot < 0) { // a writer that renamed the target: still one write told
                    slot = slot(null);
                }
                if (slot < 0) {
                    return;
                }
                results[slot] = result;
                if (--waiting > 0) {
                    return;
                }
                released = true;
                timer = deadline;
            }
            if (timer != null) {
                timer.complete(null); // cancels the scheduled timeout
            }
            release();
        }

        /** The first set of this reply written to {@code target} (any, for null) that has no result yet, or -1. */
        private int slot(SetTarget target) {
            for (int i = 0; i < sets.size(); i++) {
                if (results[i] == null && (target == null || sets.get(i).target().equals(target))) {
                    return i;
                }
            }
            return -1;
        }

        /** Releases the reply after {@code nanos} unless every write was told before. */
        void armDeadline(long nanos) {
            synchronized (this) {
                if (released) {
                    return;
                }
                deadline = new CompletableFuture<>();
                deadline.completeOnTimeout(null, nanos, TimeUnit.NANOSECONDS).thenRun(this::expire);
            }
        }

        private void expire() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            release();
        }

        /** Runs once, after {@code released} was set: no result changes any more. */
        private void release() {
            try {
                complete(outcome(resolution, sets, results));
            } catch (Throwable e) { // as a future's continuation would report it: the reply must go out
                completeExceptionally(e);
            }
        }
    }

    /** The reply to send given each set's result ({@code null}: not acknowledged by the deadline). */
    private Resolution outcome(Resolution resolution, List<SetConfig> sets, WriteResult[] results) {
        boolean servfail = false;
        for (int i = 0; i < results.length; i++) {
            WriteResult result = results[i];
            SetConfig set = sets.get(i);
            if (result == null) {
                deadlineMissed.increment();
                warnings.warn("deadline " + set.name(), "set " + set.name()
                        + ": the kernel did not acknowledge within the deadline; the reply went out anyway");
            } else if (!result.ok()) {
                failedWrites.increment();
                warnings.warn("error " + set.name(), "set " + set.name() + ": " + describe(result.errors()));
                servfail |= set.onError() == SetConfig.OnError.SERVFAIL;
            }
        }
        if (servfail) {
            return new Resolution(io.splitroute.query.Replies.empty(resolution.reply(), Rcode.SERVFAIL),
                    io.splitroute.query.Source.FAILED, resolution.route(), resolution.upstream(), null);
        }
        return resolution;
    }

    private static String describe(List<SetError> errors) {
        return errors.isEmpty() ? "write failed" : errors.getFirst().message()
                + (errors.size() > 1 ? " (+" + (errors.size() - 1) + " more)" : "");
    }
}
