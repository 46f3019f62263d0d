package io.splitroute.pipeline;

import io.splitroute.logging.ThrottledLog;
import io.splitroute.query.QueryStage;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.Source;
import io.splitroute.upstream.Upstream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * Sends a routed query to its route's upstream group; a failure becomes SERVFAIL. The last stage. The group is
 * the one the routing snapshot that routed the query bound to the route's group name ({@link #GROUP}), so a
 * reload during the query never sends it to the new routing's servers.
 *
 * <p>At most {@code upstream-max-pending} queries are pending upstream at once, over all groups: beyond it a
 * query gets SERVFAIL at once and is counted ({@link #overloaded()}), so a flood of names whose upstream never
 * answers cannot hold thousands of sockets and source ports. A query counts from its send until its group's
 * future completes, whatever the outcome (a group always completes within its timeouts).
 */
public final class UpstreamForwarder implements QueryStage {
    /** The route part this stage reads: the running upstream group the route names. */
    public static final Route.Key<Upstream> GROUP = Route.Key.named("upstream group");

    private static final Logger log = LoggerFactory.getLogger(UpstreamForwarder.class);
    private static final ThrottledLog warnings = new ThrottledLog(log, 60);

    private final IntSupplier maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder overloaded = new LongAdder();

    /**
     * Creates the forwarder; the upstream group comes with each query's route.
     *
     * @param maxPending the bound on pending upstream queries, read per query (a reload may change it)
     */
    public UpstreamForwarder(IntSupplier maxPending) {
        this.maxPending = maxPending;
    }

    @Override
    public CompletableFuture<Resolution> resolve(Query query) {
        String name = query.route().upstream();
        Upstream upstream = query.route().part(GROUP);
        if (upstream == null) {
            log.error("route {} names upstream group {} which does not exist", query.route().name(), name);
            return CompletableFuture.completedFuture(Resolution.servfail(query));
        }
        int max = maxPending.getAsInt();
        if (pending.incrementAndGet() > max) {
            pending.decrementAndGet();
            overloaded.increment();
            warnings.warn("overloaded", max + " upstream queries are pending (upstream-max-pending): answering "
                    + "SERVFAIL at once until some complete");
            return CompletableFuture.completedFuture(Resolution.servfail(query).withUpstream(name));
        }
        CompletableFuture<Message> sent;
        try {
            sent = upstream.query(query.message());
        } catch (RuntimeException e) { // a group breaking its contract must not keep the count
            pending.decrementAndGet();
            log.debug("upstream {} failed for {}: {}", name, query.question(), e.toString());
            return CompletableFuture.completedFuture(Resolution.servfail(query).withUpstream(name));
        }
        return sent.handle((reply, error) -> {
            pending.decrementAndGet();
            if (error != null || reply == null) {
                log.debug("upstream {} failed for {}: {}", name, query.question(), String.valueOf(error));
                return Resolution.servfail(query).withUpstream(name);
            }
            return new Resolution(reply, Source.UPSTREAM, query.route(), name, null);
        });
    }

    /** Returns how many upstream queries are pending now. */
    public int pending() {
        return pending.get();
    }

    /** Returns how many queries got SERVFAIL at once because {@code upstream-max-pending} were pending. */
    public long overloaded() {
        return overloaded.sum();
    }
}
