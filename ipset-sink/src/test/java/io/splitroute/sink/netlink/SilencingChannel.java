package io.splitroute.sink.netlink;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * A real netlink socket whose replies can be made to go missing: while silenced, nothing is received (the
 * kernel's replies stay queued, to be read later as strays) and a wait runs out its whole timeout. For
 * tests of what a writer does when the kernel does not acknowledge in time.
 */
public final class SilencingChannel implements NetlinkChannel {
    private final NetlinkSocket socket;
    private volatile boolean silenced;

    /** Wraps {@code socket}, which it owns. */
    public SilencingChannel(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Makes replies go missing ({@code true}) or arrive again. */
    public void silence(boolean silenced) {
        this.silenced = silenced;
    }

    @Override
    public int nextSequence() {
        return socket.nextSequence();
    }

    @Override
    public void send(MemorySegment buffer, long length) throws NetlinkException {
        socket.send(buffer, length);
    }

    @Override
    public int receiveNow(MemorySegment buffer) throws NetlinkException {
        return silenced ? -1 : socket.receiveNow(buffer);
    }

    @Override
    public boolean awaitReadable(long timeoutNanos) throws NetlinkException {
        if (!silenced) {
            return socket.awaitReadable(timeoutNanos);
        }
        try {
            TimeUnit.NANOSECONDS.sleep(timeoutNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void close() {
        socket.close();
    }
}
