package io.splitroute.upstream;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.xbill.DNS.Message;

/**
 * The TCP connections to one server: at most one reused, pipelined {@link TcpSession} per event loop, opened
 * on demand and closed when idle. Reuse saves a handshake per query and avoids piling up TIME_WAIT sockets
 * (a connection per query would exhaust the ephemeral ports at a few hundred queries per second).
 *
 * <p>A query that finds its loop's connection full goes over a connection of its own ({@link TcpExchange}).
 * A query that fails because its connection closed under it (the server's idle timeout racing our
 * write, or a new connection closed before the write) is sent once more on a new connection, with a
 * fresh attempt timeout.
 */
final class TcpConnections {

    private final InetSocketAddress server;
    private final String name;
    private final UpstreamOptions options;
    private final UpstreamStats stats;
    private final Dialer dialer;
    private final TcpExchange overflow;
    /** Each entry is read and written only on its own event loop. */
    private final Map<EventLoop, TcpSession> sessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TcpConnections(InetSocketAddress server, String name, Dialer dialer, UpstreamStats stats) {
        this.server = server;
        this.name = name;
        this.options = dialer.options();
        this.stats = stats;
        this.dialer = dialer;
        this.overflow = new TcpExchange(server, name, dialer, stats);
    }

    /** Sends {@code client} (under a fresh ID) and returns the validated reply; bounded by the timeouts. */
    CompletableFuture<Message> send(Message client) {
        EventLoop loop = EventLoops.pick(options.transport().group());
        CompletableFuture<Message> result = new CompletableFuture<>();
        Runnable start = () -> attempt(loop, client, result, true);
        if (loop.inEventLoop()) {
            start.run();
        } else {
            try {
                loop.execute(start);
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new UpstreamException(UpstreamException.Reason.UNREACHABLE, name,
                        "event loop is shut down", e));
            }
        }
        return result;
    }

    private void attempt(EventLoop loop, Message client, CompletableFuture<Message> result, boolean mayRetry) {
        UpstreamException down = ServerUpstream.interfaceDown(dialer.binding(), name);
        if (down != null) {
            result.completeExceptionally(down);
            return;
        }
        TcpSession session = session(loop);
        if (!session.canTake()) {
            relay(overflow.send(UpstreamQuery.of(client)), result);
            return;
        }
        PendingReply pending = new PendingReply(session.newQuery(client), name, stats);
        pending.startTimer(loop, options.attemptTimeout());
        session.send(pending);
        if (closed) {
            session.retire(); // a query after close: its connection goes when it is answered
        }
        pending.future().whenComplete((reply, error) -> {
            // Once more on a fresh connection when the connection closed under the query: a reused one
            // the server had closed as idle, or one that closed before the query could be written.
            if (mayRetry && error instanceof UpstreamException u
                    && u.reason() == UpstreamException.Reason.CONNECTION_CLOSED) {
                attempt(loop, client, result, false);
            } else if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(reply);
            }
        });
    }

    /** Retires every connection: each closes once its queries are answered ({@link TcpSession#retire}). */
    void close() {
        closed = true;
        sessions.forEach((loop, session) -> EventLoops.run(loop, session::retire));
    }

    private TcpSession session(EventLoop loop) {
        TcpSession session = sessions.get(loop);
        if (session == null || session.isClosed()) {
            session = new TcpSession(loop, Endpoint.fixed(server), name, dialer, stats);
            sessions.put(loop, session);
        }
        return session;
    }

    private static void relay(CompletableFuture<Message> from, CompletableFuture<Message> to) {
        from.whenComplete((reply, error) -> {
            if (error != null) {
                to.completeExceptionally(error);
            } else {
                to.complete(reply);
            }
        });
    }
}
