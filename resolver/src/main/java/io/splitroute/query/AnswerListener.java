package io.splitroute.query;

/** Told about every answered query (metrics, the query log), on the thread that sent the reply. */
@FunctionalInterface
public interface AnswerListener {
    /** A listener that does nothing. */
    AnswerListener NONE = (query, resolution, replyBytes, nanos) -> { };

    /**
     * One query was answered. Must not block: it runs on the event loop, after the reply was handed over.
     *
     * @param query      the query as routed
     * @param resolution its outcome and provenance
     * @param replyBytes the size of the reply sent
     * @param nanos      the time from receiving the query to handing over its reply
     */
    void answered(Query query, Resolution resolution, int replyBytes, long nanos);
}
