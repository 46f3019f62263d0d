package io.splitroute.upstream.lab;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What a {@link DnsTestServer} does and what it saw; changed by tests at any time. */
public final class ServerKnobs {

    /** Accept connections and finish TLS, never answer. */
    public volatile boolean silent;
    /** DoT: answer the queries of one read in reverse order (replies out of order on one connection). */
    public volatile boolean reverse;
    /** DoT: the first connection closes, unanswered, when its query number N arrives (0: never). */
    public volatile int closeFirstConnectionAt;
    /** DoH over HTTP/2: after N requests on a connection, send GOAWAY (0: never). */
    public volatile int goAwayAfter;
    /** DoH: answer with this HTTP status instead of 200 (0: 200). */
    public volatile int httpStatus;

    /** TCP connections accepted (DoT and DoH). */
    public final AtomicInteger connections = new AtomicInteger();
    /** TLS sessions of completed handshakes, as hex IDs, in order. */
    public final List<String> sessionIds = new CopyOnWriteArrayList<>();
    /** DoH requests seen, as "HTTP/2 POST /dns-query" or "HTTP/1.1 GET /dns-query?dns=...". */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** GOAWAY frames sent. */
    public final AtomicInteger goAways = new AtomicInteger();
}
