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
import io.splitroute.sink.SetWriter;
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
        boolean onThisThread = writer.writesOnCallingThread();
        List<SetConfig> sets = route.sets();
        if (sets.size() == 1) { // the usual route: one set, no lists to build
            SetConfig set = sets.getFirst();
            List<SetElement> elements = elements(found, set.target().family(), age, lifetime);
            if (elements.isEmpty()) {
                return CompletableFuture.completedFuture(resolution);
            }
            CompletableFuture<WriteResult> write = writer.add(set.target(), elements);
            return release(resolution, List.of(set), List.of(write), write, onThisThread);
        }
        List<SetConfig> targets = new ArrayList<>(sets.size());
        List<CompletableFuture<WriteResult>> writes = new ArrayList<>(sets.size());
        for (int i = 0; i < sets.size(); i++) {
            SetConfig set = sets.get(i);
            List<SetElement> elements = elements(found, set.target().family(), age, lifetime);
            if (!elements.isEmpty()) {
                targets.add(set);
                writes.add(writer.add(set.target(), elements));
            }
        }
        if (writes.isEmpty()) {
            return CompletableFuture.completedFuture(resolution);
        }
        CompletableFuture<?> all = writes.size() == 1 ? writes.getFirst()
                : CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        return release(resolution, targets, writes, all, onThisThread);
    }

    /** Returns {@code resolution} (or SERVFAIL per the sets' policy) once {@code all} is done or the deadline passed. */
    private CompletableFuture<Resolution> release(Resolution resolution, List<SetConfig> targets,
                                                  List<CompletableFuture<WriteResult>> writes,
                                                  CompletableFuture<?> all, boolean onThisThread) {
        if (!onThisThread && !all.isDone()) {
            // Written on another thread: the reply waits for it at most the deadline. (A write on this
            // thread, the event loop's, is done before the loop reads again: no timer, whose every arming
            // and cancelling would wake the JDK's delay-scheduler thread, one context switch per answer.)
            all = (writes.size() == 1 ? all.thenApply(result -> null) : all)
                    .completeOnTimeout(null, deadlineNanos, TimeUnit.NANOSECONDS);
        }
        return all.handle((ignored, error) -> outcome(resolution, targets, writes));
    }

    private List<SetElement> elements(List<Found> found, AddressFamily family, long age, long lifetime) {
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

    private Resolution outcome(Resolution resolution, List<SetConfig> targets,
                               List<CompletableFuture<WriteResult>> writes) {
        boolean servfail = false;
        for (int i = 0; i < writes.size(); i++) {
            CompletableFuture<WriteResult> write = writes.get(i);
            SetConfig set = targets.get(i);
            if (!write.isDone()) {
                deadlineMissed.increment();
                warnings.warn("deadline " + set.name(), "set " + set.name()
                        + ": the kernel did not acknowledge within the deadline; the reply went out anyway");
                continue;
            }
            WriteResult result = write.isCompletedExceptionally() ? null : write.join();
            if (result == null || !result.ok()) {
                failedWrites.increment();
                String why = result == null ? "the writer failed" : describe(result.errors());
                warnings.warn("error " + set.name(), "set " + set.name() + ": " + why);
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
