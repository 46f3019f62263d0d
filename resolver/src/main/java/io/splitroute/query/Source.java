package io.splitroute.query;

/** Where a reply came from: its provenance, read by metrics, the query log and the set writer. */
public enum Source {
    /** Answered from the cache. */
    CACHE,
    /** Answered by an upstream server. */
    UPSTREAM,
    /** Answered by splitroute itself (CHAOS explanations, FORMERR, local data). */
    LOCAL,
    /** Refused by access control. */
    REFUSED,
    /** No answer could be had: SERVFAIL. */
    FAILED
}
