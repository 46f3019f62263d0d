package io.splitroute.upstream;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.xbill.DNS.Message;

/**
 * The reused connections of one encrypted server: per event loop, up to {@link #MAX_PER_LOOP} sessions, a
 * query going to the first one with room (so under light load one connection carries everything, and a
 * burst spills to a second). Sessions close themselves when idle.
 *
 * <p>A query whose connection closed under it is sent again on a fresh connection, up to {@link #RESENDS}
 * times (the server's idle timeout racing our write, or a GOAWAY). After a failed connect or handshake no new connection is tried for
 * a while ({@link Backoff}): queries meanwhile fail at once with the last error, so the group moves on to its
 * next server instead of each query paying a connect or a handshake.
 */
final class SessionPool {

    /** Connections per server and event loop. */
    static final int MAX_PER_LOOP = 2;

    private final String name;
    private final UpstreamOptions options;
    private final UpstreamStats stats;
    private final SocketBinding binding;
    private final Function<EventLoop, Session> opener;
    private final Backoff backoff = new Backoff();
    /** Each list is read and written only on its own event loop. */
    private final Map<EventLoop, List<Session>> sessions = new ConcurrentHashMap<>();
    /**
     * How often a query is sent again after its connection closed under it. More than once: a server that
     * sends GOAWAY every few streams (as public DoH servers do) can refuse a resent query again, on the new
     * connection that also reached its limit, or close that connection while the resend waits in it; a
     * refused stream was never processed (RFC 9113, 8.1), so sending it again is safe. Bounded, so a server
     * that closes every connection at once costs a few fast failures, not a loop.
     */
    static final int RESENDS = 3;
    private volatile boolean closed;

    SessionPool(String name, UpstreamOptions options, SocketBinding binding, UpstreamStats stats,
                Function<EventLoop, Session> opener) {
        this.name = name;
        this.options = options;
        this.binding = binding;
        this.stats = stats;
        this.opener = opener;
    }

    /** Sends {@code client} and returns the validated reply; bounded by the attempt timeouts. */
    CompletableFuture<Message> send(Message client) {
        EventLoop loop = EventLoops.pick(options.transport().group());
        CompletableFuture<Message> result = new CompletableFuture<>();
        try {
            if (loop.inEventLoop()) {
                attempt(loop, client, result, RESENDS);
            } else {
                loop.execute(() -> attempt(loop, client, result, RESENDS));
            }
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new UpstreamException(UpstreamException.Reason.UNREACHABLE, name,
                    "event loop is shut down", e));
        }
        return result;
    }

    private void attempt(EventLoop loop, Message client, CompletableFuture<Message> result, int resends) {
        UpstreamException down = ServerUpstream.interfaceDown(binding, name);
        if (down != null) {
            result.completeExceptionally(down);
            return;
        }
        Session session = pick(loop);
        if (session == null) {
            result.completeExceptionally(backoff.blocked()
                    ? backoff.lastFailure(name)
                    : new UpstreamException(UpstreamException.Reason.UNREACHABLE, name, "all " + MAX_PER_LOOP
                            + " connections are full (" + TcpSession.MAX_IN_FLIGHT + " queries each)"));
            return;
        }
        PendingReply pending = new PendingReply(session.newQuery(client), name, stats);
        long sent = System.nanoTime();
        pending.startTimer(loop, options.attemptTimeout());
        session.send(pending);
        if (closed) {
            session.retire(); // a query after close: its connection goes when it is answered
        }
        pending.future().whenComplete((reply, error) -> {
            if (error == null) {
                backoff.succeeded();
                result.complete(reply);
                return;
            }
            UpstreamException failure = (UpstreamException) Failures.unwrap(error);
            switch (failure.reason()) {
                case TIMEOUT -> session.timedOut(sent);
                case UNREACHABLE, TLS -> backoff.failed(failure);
                default -> { }
            }
            if (resends > 0 && failure.reason() == UpstreamException.Reason.CONNECTION_CLOSED) {
                attempt(loop, client, result, resends - 1);
            } else {
                result.completeExceptionally(failure);
            }
        });
    }

    /** Retires every connection: each closes once its queries are answered ({@link Session#retire}). */
    void close() {
        closed = true;
        sessions.forEach((loop, list) -> EventLoops.run(loop, () -> list.forEach(Session::retire)));
    }

    private Session pick(EventLoop loop) {
        List<Session> list = sessions.computeIfAbsent(loop, l -> new ArrayList<>(MAX_PER_LOOP));
        list.removeIf(Session::isClosed);
        for (Session session : list) {
            if (session.canTake()) {
                return session;
            }
        }
        long open = list.stream().filter(s -> !s.draining()).count(); // a draining one is on its way out
        if (open >= MAX_PER_LOOP || backoff.blocked()) {
            return null;
        }
        Session fresh = opener.apply(loop);
        list.add(fresh);
        return fresh;
    }

    /** How long no new connection is tried after connects or handshakes failed: 250 ms, doubling, at most 10 s. */
    static final class Backoff {
        static final Duration FIRST = Duration.ofMillis(250);
        static final Duration MAX = Duration.ofSeconds(10);

        private volatile long blockedUntil;
        private volatile long delayNanos;
        private volatile UpstreamException last;

        boolean blocked() {
            return delayNanos != 0 && System.nanoTime() - blockedUntil < 0;
        }

        synchronized void failed(UpstreamException failure) {
            long delay = delayNanos == 0 ? FIRST.toNanos() : Math.min(delayNanos * 2, MAX.toNanos());
            delayNanos = delay;
            blockedUntil = System.nanoTime() + delay;
            last = failure;
        }

        void succeeded() {
            if (delayNanos != 0) {
                synchronized (this) {
                    delayNanos = 0;
                }
            }
        }

        UpstreamException lastFailure(String server) {
            UpstreamException failure = last;
            long wait = Math.max(0, (blockedUntil - System.nanoTime()) / 1_000_000);
            String why = failure == null ? "connection failed" : failure.getMessage().substring(server.length() + 2);
            return new UpstreamException(failure == null ? UpstreamException.Reason.UNREACHABLE : failure.reason(), server,
                    why + " (no new connection for " + wait + " ms)", failure);
        }
    }
}
