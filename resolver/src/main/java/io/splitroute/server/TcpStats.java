package io.splitroute.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the TCP listener counts: connections open, connections closed at accept and why, queries that did not
 * arrive whole within the frame deadline, and the times a connection was not read for back-pressure.
 */
public final class TcpStats {
    /** Why a connection was closed at accept, before it held a slot. */
    public enum Rejection {
        /** The client is outside {@code acl}. */
        ACL,
        /** The client address has {@code tcp.max-per-client} connections open. */
        PER_CLIENT,
        /** {@code tcp.max-connections} connections are open. */
        MAX_CONNECTIONS
    }

    final AtomicInteger open = new AtomicInteger();
    private final LongAdder[] rejected = new LongAdder[Rejection.values().length];
    final LongAdder frameTimeouts = new LongAdder();
    final LongAdder paused = new LongAdder();

    TcpStats() {
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = new LongAdder();
        }
    }

    void reject(Rejection reason) {
        rejected[reason.ordinal()].increment();
    }

    /** Returns the number of client connections open now. */
    public int open() {
        return open.get();
    }

    /** Returns how many connections were closed at accept for {@code reason}. */
    public long rejected(Rejection reason) {
        return rejected[reason.ordinal()].sum();
    }

    /** Returns how many connections were closed because a query did not arrive whole within the frame deadline. */
    public long frameTimeouts() {
        return frameTimeouts.sum();
    }

    /**
     * Returns how many times a connection stopped being read because it had {@code tcp.max-inflight} queries in
     * flight or its replies were not being taken by the client.
     */
    public long paused() {
        return paused.sum();
    }
}
