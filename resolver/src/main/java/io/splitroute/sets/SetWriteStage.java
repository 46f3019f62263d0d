package io.splitroute.sets;

import io.splitroute.logging.ThrottledLog;
import io.splitroute.query.QueryStage;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.AnswerAddress;
import io.splitroute.query.PreparedReply;
import io.splitroute.query.Query;
import io.splitroute.query.Replies;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.SetWrite;
import io.splitroute.query.Source;
import io.splitroute.query.Ticker;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.SetElement;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.SetWriter;
import io.splitroute.sink.WriteCallback;
import io.splitroute.sink.WriteResult;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Rcode;

/**
 * Writes the addresses every answer on a route with sets earned ({@link AnswerAddresses}: the question's CNAME
 * chain only) into those sets, less those its {@link AddressFilter} keeps out ({@code never-route}, the
 * per-answer cap), and releases the reply only once the kernel has acknowledged (or the deadline passed); the
 * reply's {@link Resolution} then records what was written ({@link SetWrite}). It sits above the cache, so
 * answers served from the cache refresh their entries too: an entry never expires while the cache still
 * serves the name.
 */
public final class SetWriteStage implements QueryStage {
    /** The route part this stage reads: the route's sets as configured, set by the routing snapshot. */
    public static final Route.Key<List<SetConfig>> SETS = Route.Key.named("sets");

    private static final ThrottledLog warnings = new ThrottledLog(LoggerFactory.getLogger(SetWriteStage.class), 60);

    private final SetWriter writer;
    private volatile SetTimeouts timeouts;
    private volatile long deadlineNanos;
    private volatile AddressFilter filter;
    private final AddressDrops drops;
    private final Ticker ticker;
    private final Deadlines deadlines;
    private final QueryStage next;
    private final LongAdder deadlineMissed = new LongAdder();
    private final LongAdder failedWrites = new LongAdder();

    /**
     * @param writer    the kernel set writer
     * @param timeouts  how element timeouts follow TTLs
     * @param deadline  how long a reply waits for the kernel's acknowledgement
     * @param filter    what of an answer's addresses may be written ({@code never-route}, the cap)
     * @param drops     counts what the filter keeps out
     * @param ticker    the clock a cached reply's age is read with
     * @param deadlines arms the deadline of writes made on another thread
     * @param next      the next stage (the cache)
     */
    public SetWriteStage(SetWriter writer, SetTimeouts timeouts, Duration deadline, AddressFilter filter,
                         AddressDrops drops, Ticker ticker, Deadlines deadlines, QueryStage next) {
        this.writer = writer;
        this.timeouts = timeouts;
        this.deadlineNanos = deadline.toNanos();
        this.filter = filter;
        this.drops = drops;
        this.ticker = ticker;
        this.deadlines = deadlines;
        this.next = next;
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        Route route = query.route();
        List<SetConfig> sets = route == null ? null : route.part(SETS);
        if (sets == null || sets.isEmpty()) {
            return next.resolve(query);
        }
        CompletableFuture<Resolution> resolved = next.resolve(query);
        if (resolved.isDone() && !resolved.isCompletedExceptionally()) { // a cache hit: no stage in between
            try {
                return write(query.name(), route, sets, resolved.join());
            } catch (RuntimeException e) { // as thenCompose would report it
                return CompletableFuture.failedFuture(e);
            }
        }
        return resolved.thenCompose(resolution -> write(query.name(), route, sets, resolution));
    }

    /** Applies new timeout bounds, deadline and address filter (a reload). */
    public void reconfigure(SetTimeouts newTimeouts, Duration newDeadline, AddressFilter newFilter) {
        this.timeouts = newTimeouts;
        this.deadlineNanos = newDeadline.toNanos();
        this.filter = newFilter;
    }

    /** Returns the counters of addresses kept out of the sets (shared with the scrubber). */
    public AddressDrops drops() {
        return drops;
    }

    /** Returns how many replies were released before the kernel acknowledged their writes. */
    public long deadlineMissed() {
        return deadlineMissed.sum();
    }

    /** Returns how many writes failed (per set and reply). */
    public long failedWrites() {
        return failedWrites.sum();
    }

    private CompletableFuture<Resolution> write(String name, Route route, List<SetConfig> sets, Resolution resolution) {
        if (resolution.rcode() != Rcode.NOERROR) {
            return CompletableFuture.completedFuture(resolution);
        }
        PreparedReply cached = resolution.cached();
        boolean withIpv6 = route.aaaa() == AaaaPolicy.SET;
        List<AnswerAddress> found = cached != null ? cached.addresses(withIpv6)
                : AnswerAddresses.of(resolution.reply(), withIpv6);
        if (!found.isEmpty()) { // counted once per upstream answer: a cache hit filters the same way silently
            found = filter.admit(found, name, resolution.source() == Source.CACHE ? null : drops);
        }
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(resolution);
        }
        long age = cached == null ? 0 : cached.ageSeconds(ticker.nanos());
        long lifetime = cached == null ? 0 : cached.lifetimeSeconds();
        Release release;
        if (sets.size() == 1) { // the usual route: one set, no lists to build
            SetConfig set = sets.getFirst();
            List<SetElement> elements = elements(found, set.target().family(), age, lifetime);
            if (elements.isEmpty()) {
                return CompletableFuture.completedFuture(resolution);
            }
            release = new Release(resolution, sets, elements, null);
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
            release = new Release(resolution, targets, null, perTarget); // counts the writes before the first can be told
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

    private List<SetElement> elements(List<AnswerAddress> found, AddressFamily family, long age, long lifetime) {
        if (found.size() == 1) { // the usual answer: one address, no list to grow
            AnswerAddress f = found.getFirst();
            return (f.address() instanceof Inet4Address) == (family == AddressFamily.INET)
                    ? List.of(new SetElement(f.address(), timeouts.timeout(f.ttl(), age, lifetime))) : List.of();
        }
        List<SetElement> out = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            AnswerAddress f = found.get(i);
            boolean v4 = f.address() instanceof Inet4Address;
            if (v4 == (family == AddressFamily.INET)) {
                out.add(new SetElement(f.address(), timeouts.timeout(f.ttl(), age, lifetime)));
            }
        }
        return out;
    }

    /**
     * One reply waiting for the writes of its sets: the callback of each, the future the stage returns, and
     * afterwards the record of what was written. It completes with the reply (or SERVFAIL, per the sets'
     * policy) when the last write is told, or at the deadline, whichever comes first; a write told later is
     * ignored, having been counted as missed. One object per answer instead of a future per write and
     * continuations to join them: on the hot path that garbage was most of what a set write cost the reply,
     * through more frequent GC pauses.
     */
    private final class Release extends CompletableFuture<Resolution> implements WriteCallback, SetWrite {
        private final Resolution resolution;
        private final List<SetConfig> sets;
        /** The elements of the only set; null when there are several. */
        private final List<SetElement> single;
        /** Per set, its elements; null when there is one. */
        private final List<List<SetElement>> perSet;
        /** Per set, its write's result once told (guarded by this). */
        private final WriteResult[] results;
        private int waiting;
        private boolean released;
        /** Cancels the armed deadline; null when none is armed. */
        private Runnable deadline;
        private volatile Outcome outcome;

        Release(Resolution resolution, List<SetConfig> sets, List<SetElement> single, List<List<SetElement>> perSet) {
            this.resolution = resolution;
            this.sets = sets;
            this.single = single;
            this.perSet = perSet;
            this.results = new WriteResult[sets.size()];
            this.waiting = sets.size();
        }

        @Override
        public List<String> sets() {
            List<String> names = new ArrayList<>(sets.size());
            sets.forEach(set -> names.add(set.name()));
            return names;
        }

        @Override
        public List<InetAddress> addresses() {
            List<InetAddress> out = new ArrayList<>();
            for (List<SetElement> elements : single != null ? List.of(single) : perSet) {
                for (SetElement element : elements) {
                    if (!out.contains(element.address())) {
                        out.add(element.address());
                    }
                }
            }
            return out;
        }

        @Override
        public Outcome outcome() {
            return outcome;
        }

        @Override
        public void written(WriteResult result) {
            Runnable timer;
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
                timer.run();
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
                deadline = deadlines.arm(this::expire, nanos);
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
                complete(reply(this, resolution, sets, results));
            } catch (Throwable e) { // as a future's continuation would report it: the reply must go out
                completeExceptionally(e);
            }
        }
    }

    /** The reply to send given each set's result ({@code null}: not acknowledged by the deadline). */
    private Resolution reply(Release release, Resolution resolution, List<SetConfig> sets, WriteResult[] results) {
        boolean servfail = false;
        SetWrite.Outcome outcome = SetWrite.Outcome.WRITTEN;
        for (int i = 0; i < results.length; i++) {
            WriteResult result = results[i];
            SetConfig set = sets.get(i);
            if (result == null || unacknowledged(result)) {
                deadlineMissed.increment();
                warnings.warn("deadline " + set.name(), "set " + set.name()
                        + ": the kernel did not acknowledge within the deadline; the reply went out anyway");
                if (outcome == SetWrite.Outcome.WRITTEN) {
                    outcome = SetWrite.Outcome.LATE;
                }
            } else if (!result.ok()) {
                failedWrites.increment();
                if (!full(result)) { // a full set is logged by the writer, once a minute per set
                    warnings.warn("error " + set.name(), "set " + set.name() + ": " + describe(result.errors()));
                }
                servfail |= set.onError() == SetConfig.OnError.SERVFAIL;
                outcome = SetWrite.Outcome.FAILED;
            }
        }
        release.outcome = outcome;
        if (servfail) {
            return new Resolution(Replies.empty(resolution.reply(), Rcode.SERVFAIL), Source.FAILED,
                    resolution.route(), resolution.upstream(), null, release);
        }
        return resolution.withWritten(release);
    }

    /**
     * Whether the kernel did not answer in time (the writer gave up at its deadline and sent nothing more):
     * late, not failed, like a reply released at the stage's own deadline.
     */
    private static boolean unacknowledged(WriteResult result) {
        List<SetError> errors = result.errors();
        for (int i = 0; i < errors.size(); i++) {
            if (errors.get(i).kind() == SetError.Kind.UNACKNOWLEDGED) {
                return true;
            }
        }
        return false;
    }

    private static boolean full(WriteResult result) {
        return allOfKind(result, SetError.Kind.SET_FULL);
    }

    private static boolean allOfKind(WriteResult result, SetError.Kind kind) {
        List<SetError> errors = result.errors();
        for (int i = 0; i < errors.size(); i++) {
            if (errors.get(i).kind() != kind) {
                return false;
            }
        }
        return !errors.isEmpty();
    }

    private static String describe(List<SetError> errors) {
        return errors.isEmpty() ? "write failed" : errors.getFirst().message()
                + (errors.size() > 1 ? " (+" + (errors.size() - 1) + " more)" : "");
    }
}
