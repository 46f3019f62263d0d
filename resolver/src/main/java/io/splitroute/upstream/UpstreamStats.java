package io.splitroute.upstream;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Counters of one upstream server, for metrics. Cheap to update from many event loops (LongAdders); read
 * them at any time. Latency samples go to a hook that a metrics binder sets with {@link #onLatency}.
 */
public final class UpstreamStats {

    private final LongAdder queries = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder droppedReplies = new LongAdder();
    private final LongAdder tcRetries = new LongAdder();
    private final LongAdder errorReplies = new LongAdder();
    private final Map<UpstreamException.Reason, LongAdder> failuresByReason = new EnumMap<>(UpstreamException.Reason.class);
    private final AtomicInteger openConnections = new AtomicInteger();
    private final LongAdder connectionsOpened = new LongAdder();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile UpstreamException.Reason lastFailure;
    private volatile LongConsumer latencySink = nanos -> {};

    /** Counters at zero, with no latency sink. */
    public UpstreamStats() {
        for (UpstreamException.Reason reason : UpstreamException.Reason.values()) {
            failuresByReason.put(reason, new LongAdder());
        }
    }

    /** Queries sent to this server (a TCP retry after truncation counts once, with its UDP query). */
    public long queries() {
        return queries.sum();
    }

    /** Queries that ended without a reply: timeouts, refused or broken connections, send errors. */
    public long failures() {
        return failures.sum();
    }

    /** Of the {@link #failures()}, those that timed out. */
    public long timeouts() {
        return timeouts.sum();
    }

    /**
     * Replies dropped because they did not match the query: wrong source address or port, wrong ID, wrong
     * question, or unparseable. A rising count is a sign of spoofing attempts (or a broken server).
     */
    public long droppedReplies() {
        return droppedReplies.sum();
    }

    /** UDP replies with TC=1 that were retried over TCP. */
    public long tcRetries() {
        return tcRetries.sum();
    }

    /** Replies with rcode SERVFAIL or REFUSED (a group moves on to its next server). */
    public long errorReplies() {
        return errorReplies.sum();
    }

    /**
     * Of the {@link #failures()}, those of one kind: {@code TIMEOUT}, {@code UNREACHABLE},
     * {@code CONNECTION_CLOSED}, {@code TLS} (certificate refused, handshake failed), {@code HTTP},
     * {@code INTERFACE_DOWN}.
     */
    public long failures(UpstreamException.Reason reason) {
        return failuresByReason.get(reason).sum();
    }

    /** TCP, TLS and HTTPS connections to this server open now (UDP sockets live for one query, not counted). */
    public int openConnections() {
        return openConnections.get();
    }

    /** TCP, TLS and HTTPS connections opened so far: rising fast means connections are not reused. */
    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    /**
     * Queries in a row that ended without a reply, up to the latest; 0 after any reply. A server whose latest
     * query failed is "failing" for {@link UpstreamGroup#boundAndFailing()}.
     */
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** The kind of the latest failure, or {@code null} before any; kept after a reply (see {@link #consecutiveFailures()}). */
    public UpstreamException.Reason lastFailure() {
        return lastFailure;
    }

    /**
     * Sets where latency samples go: called with the nanoseconds from sending a query to accepting its reply
     * (TCP retry included), on an event loop thread, so {@code sink} must be fast and must not block (a
     * Micrometer {@code Timer.record} is fine). Replaces the previous sink.
     */
    public void onLatency(LongConsumer sink) {
        latencySink = Objects.requireNonNull(sink, "sink");
    }

    void countQuery() {
        queries.increment();
    }

    void countFailure(UpstreamException.Reason reason) {
        failures.increment();
        failuresByReason.get(reason).increment();
        lastFailure = reason;
        consecutiveFailures.incrementAndGet();
        if (reason == UpstreamException.Reason.TIMEOUT) {
            timeouts.increment();
        }
    }

    void connectionOpened() {
        openConnections.incrementAndGet();
        connectionsOpened.increment();
    }

    void connectionClosed() {
        openConnections.decrementAndGet();
    }

    void countDroppedReply() {
        droppedReplies.increment();
    }

    void countTcRetry() {
        tcRetries.increment();
    }

    /**
     * Counts how {@code result} ends: latency and SERVFAIL/REFUSED replies on success, failures and
     * timeouts otherwise. {@code startNanos} is {@link System#nanoTime()} when the query was sent.
     *
     * @return {@code result} as seen after counting: hand this one to the caller, so whoever observes the
     *     outcome also sees the counters that include it
     */
    CompletableFuture<Message> track(CompletableFuture<Message> result, long startNanos) {
        return after(result, (reply, error) -> {
            if (error == null) {
                latencySink.accept(System.nanoTime() - startNanos);
                consecutiveFailures.set(0);
                int rcode = reply.getRcode();
                if (rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED) {
                    errorReplies.increment();
                }
            } else {
                countFailure(error instanceof UpstreamException u ? u.reason() : UpstreamException.Reason.UNREACHABLE);
            }
        });
    }

    /**
     * A future that ends as {@code result} does (same reply, same exception, not wrapped), after
     * {@code action} ran with the outcome (the exception unwrapped).
     */
    static CompletableFuture<Message> after(CompletableFuture<Message> result, BiConsumer<Message, Throwable> action) {
        CompletableFuture<Message> after = new CompletableFuture<>();
        result.whenComplete((reply, error) -> {
            Throwable cause = error == null ? null : Failures.unwrap(error);
            try {
                action.accept(reply, cause);
            } finally {
                if (cause != null) {
                    after.completeExceptionally(cause);
                } else {
                    after.complete(reply);
                }
            }
        });
        return after;
    }

    /** The counters, for logs and tests. */
    @Override
    public String toString() {
        return "queries=" + queries() + " failures=" + failures() + " timeouts=" + timeouts() + " dropped="
                + droppedReplies() + " tcRetries=" + tcRetries() + " errorReplies=" + errorReplies()
                + " tls=" + failures(UpstreamException.Reason.TLS) + " connections=" + openConnections() + " opened="
                + connectionsOpened();
    }
}
