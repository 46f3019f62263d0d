package io.splitroute.sink.netlink;

import java.lang.foreign.MemorySegment;

/**
 * What a {@link NetlinkExchange} needs of a netlink socket: {@link NetlinkSocket}, or in tests a double
 * that loses replies. Not thread-safe: one thread at a time sends and receives.
 */
public interface NetlinkChannel extends AutoCloseable {
    /** Returns a fresh sequence number (never 0) for the next request. */
    int nextSequence();

    /** Sends the first {@code length} bytes of {@code buffer} (one or more netlink messages) to the kernel. */
    void send(MemorySegment buffer, long length) throws NetlinkException;

    /**
     * Receives one datagram if one is queued, without waiting.
     *
     * @return the number of bytes received, or -1 when nothing is queued
     */
    int receiveNow(MemorySegment buffer) throws NetlinkException;

    /** Waits until a datagram is queued or {@code timeoutNanos} passed; returns whether one is ready. */
    boolean awaitReadable(long timeoutNanos) throws NetlinkException;

    /** Closes the channel; idempotent. */
    @Override
    void close();
}
