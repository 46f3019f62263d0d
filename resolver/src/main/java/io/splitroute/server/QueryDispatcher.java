package io.splitroute.server;

import io.splitroute.logging.ThrottledLog;
import io.splitroute.query.AnswerListener;
import io.splitroute.query.Query;
import io.splitroute.query.QueryStage;
import io.splitroute.query.Replies;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Transport;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
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
 * malformed message's FORMERR or NOTIMP and a BADVERS included, is rendered by the {@link ReplyEncoder} and
 * told to the {@link io.splitroute.query.AnswerListener} (metrics, query log). Keeps count of queries in
 * flight (for a clean stop) and of malformed messages by {@link Malformed reason}, dropped or answered;
 * each reason is logged at most once a minute, without a stack trace. No exception escapes.
 */
public final class QueryDispatcher {
    private static final Logger log = LoggerFactory.getLogger(QueryDispatcher.class);

    private final QueryStage pipeline;
    private final ReplyEncoder encoder;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final Map<Malformed, LongAdder> malformed = new EnumMap<>(Malformed.class);
    private final ThrottledLog throttled = new ThrottledLog(log, 60);
    private volatile AnswerListener listener = AnswerListener.NONE;

    /**
     * @param pipeline the first stage of the query path
     * @param encoder  renders every reply
     */
    public QueryDispatcher(QueryStage pipeline, ReplyEncoder encoder) {
        this.pipeline = pipeline;
        this.encoder = encoder;
        for (Malformed reason : Malformed.values()) {
            malformed.put(reason, new LongAdder());
        }
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
        QueryDecoder.Decoded decoded = QueryDecoder.decode(wire);
        if (decoded.reason() != null) {
            countMalformed(decoded.reason(), client);
        }
        switch (decoded.kind()) {
            case DROP -> {
                dropped.increment();
                return false;
            }
            case FORMERR, NOTIMP, BADVERS -> {
                answerError(decoded, client, transport, reply);
                return true;
            }
            case QUERY -> { }
        }
        Query query = query(decoded, client, transport);
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

    /** The query to resolve or answer: with the message dnsjava parsed, when the decoder had to parse it. */
    private static Query query(QueryDecoder.Decoded decoded, InetSocketAddress client, Transport transport) {
        return decoded.message() == null
                ? Query.of(decoded.wire(), decoded.fields(), client, transport)
                : Query.of(decoded.wire(), decoded.fields(), decoded.message(), client, transport);
    }

    private void countMalformed(Malformed reason, InetSocketAddress client) {
        malformed.get(reason).increment();
        throttled.warn("malformed " + reason.tag(), "malformed message (" + reason.tag() + ") from " + client
                + (reason.dropped() ? ", dropped" : reason == Malformed.OPCODE ? ", answered NOTIMP" : ", answered FORMERR"));
    }

    /** A malformed message's FORMERR, a NOTIMP or a BADVERS: made here, rendered and counted like every other reply. */
    private void answerError(QueryDecoder.Decoded decoded, InetSocketAddress client, Transport transport,
                             Consumer<byte[]> reply) {
        Message message = switch (decoded.kind()) {
            case NOTIMP -> decoded.message() != null
                    ? Replies.empty(decoded.message(), Rcode.NOTIMP) : Replies.headerOnly(decoded.fields(), Rcode.NOTIMP);
            case BADVERS -> null;
            default -> Replies.headerOnly(decoded.fields(), Rcode.FORMERR);
        };
        Query query = query(decoded, client, transport);
        if (message == null) {
            message = Replies.badVersion(query.message());
        }
        inFlight.incrementAndGet();
        finish(query, new Resolution(message, Source.LOCAL, null, null, null), null, reply);
    }

    private void finish(Query query, Resolution resolution, Throwable error, Consumer<byte[]> reply) {
        try {
            Resolution result = resolution;
            if (error != null || result == null) {
                throttled.warn("pipeline failure", "query " + query + " failed inside the pipeline: " + error);
                log.debug("query {} failed inside the pipeline", query, error);
                result = Resolution.servfail(query);
            }
            byte[] bytes = encode(query, result);
            reply.accept(bytes);
            listener.answered(query, result, bytes.length, System.nanoTime() - query.receivedNanos());
        } catch (RuntimeException e) {
            throttled.warn("answer failure", "could not answer " + query + ": " + e);
            log.debug("could not answer {}", query, e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private byte[] encode(Query query, Resolution result) {
        try {
            return encoder.encode(query, result);
        } catch (RuntimeException e) {
            throttled.warn("encode failure", "could not encode the reply to " + query + "; answering SERVFAIL: " + e);
            log.debug("could not encode the reply to {}", query, e);
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

    /** Returns how many malformed messages were received for {@code reason} (dropped or answered). */
    public long malformed(Malformed reason) {
        return malformed.get(reason).sum();
    }

    /** Returns how many malformed messages were received, for every reason. */
    public long malformed() {
        long sum = 0;
        for (LongAdder count : malformed.values()) {
            sum += count.sum();
        }
        return sum;
    }
}
