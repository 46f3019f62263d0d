package io.splitroute.upstream;

import org.xbill.DNS.Message;

/**
 * One reused connection to one server, owned by one event loop, carrying many queries at once: a
 * {@link TcpSession} (TCP or TLS) or a {@link DohSession} (HTTPS). All methods run on the owning loop.
 */
interface Session {

    /** Whether this connection can take another query now. */
    boolean canTake();

    /** Whether this connection is gone (closed by either side, or failed); the next query needs a new one. */
    boolean isClosed();

    /** Whether this connection finishes what it carries but takes nothing new (after an HTTP/2 GOAWAY). */
    default boolean draining() {
        return false;
    }

    /** Queries waiting for their reply on this connection. */
    int inFlight();

    /** The query to send for {@code client}: an ID this connection can match the reply by. */
    UpstreamQuery newQuery(Message client);

    /** Sends the query of {@code pending} (now, or once connected) and routes its reply back to it. */
    void send(PendingReply pending);

    /**
     * Says that a query sent at {@code sentNanos} timed out: a connection that has read nothing since then is
     * presumed dead (a server gone silent, a tunnel down under an open connection) and closed.
     */
    void timedOut(long sentNanos);

    /** Takes no new query and closes once the queries it carries are answered (at once when none); idempotent. */
    void retire();
}
