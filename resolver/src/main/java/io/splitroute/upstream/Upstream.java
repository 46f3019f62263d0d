package io.splitroute.upstream;

import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * A place to send a DNS query: one server ({@link UdpUpstream}, {@link TcpUpstream}) or an ordered group of
 * them ({@link UpstreamGroup}).
 *
 * <p>Implementations never block the calling thread and never hang: every query ends within the configured
 * attempt timeouts. Futures complete on a Netty event loop, so dependent stages must not block either.
 */
public interface Upstream {

    /** A short name for logs and metrics: {@code "udp://192.0.2.1:53"} for a server, the group name for a group. */
    String name();

    /**
     * Sends {@code query} upstream under a fresh random ID and returns the validated reply.
     *
     * <p>The reply carries the ID of the upstream query, not the client's: the caller restores the client's
     * ID. The client's message is not modified.
     *
     * @param query the client's query; it must have a question
     * @return a future completing with the reply (which may carry any rcode, including SERVFAIL when every
     *     server of a group answered so), or exceptionally with {@link UpstreamException} on timeout, refused
     *     connection, an unusable query, or when no server gave a reply
     */
    CompletableFuture<Message> query(Message query);

    /**
     * Retires this upstream (a reload replaced it): each reused connection closes once the queries it carries
     * are answered, at once when it carries none. A query sent afterwards (one routed just before the reload)
     * is still answered, over a connection that closes after it. Never blocks; calling it again does nothing.
     */
    default void close() {}
}
