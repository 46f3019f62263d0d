package io.splitroute.server;

import io.splitroute.query.QueryStage;
import io.splitroute.query.AnswerListener;
import io.splitroute.query.Query;
import io.splitroute.query.Replies;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Transport;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Hands decoded queries to the pipeline and the encoded replies back to the transport; every reply, a
 * malformed message's FORMERR or NOTIMP included, is rendered by the {@link ReplyEncoder} and told to the
 * {@link io.splitroute.query.AnswerListener} (metrics, query log). Keeps count of queries in flight (for a
 * clean stop) and of messages dropped or answered FORMERR/NOTIMP. No exception escapes.
 */
public final class QueryDispatcher {
    private static final Logger log = LoggerFactory.getLogger(QueryDispatcher.class);

    private final QueryStage pipeline;
    private final ReplyEncoder encoder;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private volatile AnswerListener listener = AnswerListener.NONE;

    /**
     * @param pipeline the first stage of the query path
     * @param encoder  renders every reply
     */
    public QueryDispatcher(QueryStage pipeline, ReplyEncoder encoder) {
        this.pipeline = pipeline;
        this.encoder = encoder;
    }

    /** Sets who is told about every finished query (metrics, query log). */
    public void onCompleted(AnswerListener newListener) {
        this.listener = newListener;
    }

    /**
     * Handles the bytes of one client message and calls {@code reply} with the bytes to send back, unless
     * the message is dropped.
     *
     * @return {@code false} when the message was dropped unanswered (a TCP transport then closes the
     *     connection: its client is not speaking DNS)
     */
    public boolean dispatch(byte[] wire, InetSocketAddress client, Transport transport, Consumer<byte[]> reply) {
        QueryDecoder.Decoded decoded;
        try {
            decoded = QueryDecoder.decode(wire);
        } catch (RuntimeException e) {
            dropped.increment();
            log.debug("dropped a message from {}: {}", client, e.toString());
            return false;
        }
        switch (decoded.kind()) {
            case DROP -> {
                dropped.increment();
                log.debug("dropped a message from {}: {}", client, decoded.dropReason());
                return false;
            }
            case FORMERR, NOTIMP -> {
                malformed.increment();
                answerError(decoded, wire, client, transport, reply);
                return true;
            }
            case QUERY -> { }
        }
        Query query = Query.of(wire, decoded.fields(), client, transport);
        inFlight.incrementAndGet();
        CompletableFuture<Resolution> future;
        try {
            future = pipeline.resolve(query);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        if (future.isDone() && !future.isCompletedExceptionally()) {
            finish(query, future.getNow(null), null, reply); // a cache hit: no continuation object
        } else {
            future.whenComplete((resolution, error) -> finish(query, resolution, error, reply));
        }
        return true;
    }

    /** A malformed message's FORMERR or NOTIMP: made here, rendered and counted like every other reply. */
    private void answerError(QueryDecoder.Decoded decoded, byte[] wire, InetSocketAddress client, Transport transport,
                             Consumer<byte[]> reply) {
        Query query = Query.of(wire, decoded.fields(), client, transport);
        Message message = decoded.kind() == QueryDecoder.Kind.NOTIMP
                ? Replies.empty(decoded.message(), Rcode.NOTIMP) : Replies.headerOnly(decoded.fields(), Rcode.FORMERR);
        inFlight.incrementAndGet();
        finish(query, new Resolution(message, Source.LOCAL, null, null, null), null, reply);
    }

    private void finish(Query query, Resolution resolution, Throwable error, Consumer<byte[]> reply) {
        try {
            Resolution result = resolution;
            if (error != null || result == null) {
                log.warn("query {} failed inside the pipeline", query, error);
                result = Resolution.servfail(query);
            }
            byte[] bytes = encode(query, result);
            reply.accept(bytes);
            listener.answered(query, result, bytes.length, System.nanoTime() - query.receivedNanos());
        } catch (RuntimeException e) {
            log.warn("could not answer {}", query, e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private byte[] encode(Query query, Resolution result) {
        try {
            return encoder.encode(query, result);
        } catch (RuntimeException e) {
            log.warn("could not encode the reply to {}; answering SERVFAIL", query, e);
            return encoder.encode(query, Resolution.servfail(query));
        }
    }

    /** Returns the number of queries being resolved now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Returns how many messages were dropped unanswered (unreadable header, responses). */
    public long dropped() {
        return dropped.sum();
    }

    /** Returns how many malformed queries were answered FORMERR (or NOTIMP). */
    public long malformed() {
        return malformed.sum();
    }
}
