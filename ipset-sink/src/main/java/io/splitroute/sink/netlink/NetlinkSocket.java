package io.splitroute.sink.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw netlink socket (one file descriptor), opened in the current or in a named network namespace.
 *
 * <p>Not thread-safe: one thread at a time sends and receives (the writers confine it to theirs). Receives
 * never block; {@link #awaitReadable} blocks in native code for at most its timeout, so it must run on a
 * platform thread, never on a virtual thread.
 */
public final class NetlinkSocket implements NetlinkChannel {
    /** The netfilter netlink family (ipset and nftables). */
    public static final int NETLINK_NETFILTER = 12;

    private static final int BUFFER_BYTES = 4 << 20;

    private final NativeCalls calls;
    private final int fd;
    private final int protocol;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = arena.allocate(Libc.CAPTURE_LAYOUT);
    /** A {@code struct pollfd} for {@link #awaitReadable}, and room for the timeout after it. */
    private final MemorySegment pollFd = arena.allocate(24, 8);
    private final AtomicInteger sequence = new AtomicInteger((int) (System.nanoTime() & 0x3fffffff));
    private volatile boolean closed;

    private NetlinkSocket(NativeCalls calls, int fd, int protocol) {
        this.calls = calls;
        this.fd = fd;
        this.protocol = protocol;
    }

    /**
     * Opens a netlink socket of {@code protocol} (e.g. {@link #NETLINK_NETFILTER}), bound to a kernel-chosen
     * port id, with extended acks, capped acks and 4 MiB buffers. Receives never block; waits are
     * {@link #awaitReadable} with the caller's timeout.
     *
     * @param netns a network namespace file such as {@code /run/netns/NAME}, or {@code null} for the
     *     namespace of the calling process; the socket stays in that namespace for its whole life
     */
    public static NetlinkSocket open(int protocol, Path netns) throws NetlinkException {
        return open(protocol, netns, Libc.CALLS);
    }

    /** Opens a socket as {@link #open(int, Path)} does, through {@code calls} (tests try each kind). */
    static NetlinkSocket open(int protocol, Path netns, NativeCalls calls) throws NetlinkException {
        int fd = netns == null ? createSocket(calls, protocol) : createSocketIn(calls, protocol, netns);
        NetlinkSocket socket = new NetlinkSocket(calls, fd, protocol);
        try {
            socket.configure();
        } catch (NetlinkException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    private static int createSocket(NativeCalls calls, int protocol) throws NetlinkException {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = local.allocate(Libc.CAPTURE_LAYOUT);
            int fd = calls.socket(state, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
            if (fd < 0) {
                throw new NetlinkException("socket(AF_NETLINK, " + protocol + ")", Libc.errno(state));
            }
            return fd;
        }
    }

    /**
     * Creates the socket from a short-lived platform thread that first joins {@code netns} with
     * setns(2): setns changes only the calling thread, and a socket keeps the namespace it was made in.
     */
    private static int createSocketIn(NativeCalls calls, int protocol, Path netns) throws NetlinkException {
        FutureTask<Integer> task = new FutureTask<>(() -> {
            enterNamespace(calls, netns);
            return createSocket(calls, protocol);
        });
        Thread thread = Thread.ofPlatform().name("netns-socket").daemon().unstarted(task);
        thread.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetlinkException("interrupted while opening a socket in " + netns, 0);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NetlinkException ne) {
                throw ne;
            }
            throw new IllegalStateException("opening a socket in " + netns + " failed", e.getCause());
        }
    }

    private static void enterNamespace(NativeCalls calls, Path netns) throws NetlinkException {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment state = local.allocate(Libc.CAPTURE_LAYOUT);
            MemorySegment path = local.allocateFrom(netns.toString());
            int nsFd = calls.open(state, path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (nsFd < 0) {
                throw new NetlinkException("open(" + netns + ")", Libc.errno(state));
            }
            int rc = calls.setns(state, nsFd, Libc.CLONE_NEWNET);
            int errno = Libc.errno(state);
            calls.close(state, nsFd);
            if (rc < 0) {
                throw new NetlinkException("setns(" + netns + ", CLONE_NEWNET)", errno);
            }
        }
    }

    private void configure() throws NetlinkException {
        MemorySegment address = arena.allocate(12);
        address.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
        int rc = calls.bind(callState, fd, address, 12);
        if (rc < 0) {
            throw new NetlinkException("bind(AF_NETLINK)", Libc.errno(callState));
        }
        if (!setIntOption(Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, BUFFER_BYTES)) {
            setIntOption(Libc.SOL_SOCKET, Libc.SO_RCVBUF, BUFFER_BYTES);
        }
        if (!setIntOption(Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, BUFFER_BYTES)) {
            setIntOption(Libc.SOL_SOCKET, Libc.SO_SNDBUF, BUFFER_BYTES);
        }
        setIntOption(Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1);
        setIntOption(Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, 1);
    }

    private boolean setIntOption(int level, int name, int value) {
        MemorySegment v = arena.allocate(JAVA_INT);
        v.set(JAVA_INT, 0, value);
        return setOption(level, name, v);
    }

    private boolean setOption(int level, int name, MemorySegment value) {
        return calls.setsockopt(callState, fd, level, name, value) == 0;
    }

    /** Returns the netlink protocol this socket was opened for. */
    public int protocol() {
        return protocol;
    }

    /** Returns a fresh sequence number (never 0) for the next request. */
    @Override
    public int nextSequence() {
        int seq = sequence.incrementAndGet() & 0x7fffffff;
        return seq == 0 ? nextSequence() : seq;
    }

    /** Sends the first {@code length} bytes of {@code buffer} (one or more netlink messages) to the kernel. */
    @Override
    public void send(MemorySegment buffer, long length) throws NetlinkException {
        long sent;
        do {
            sent = calls.send(callState, fd, buffer, length, 0);
        } while (sent < 0 && Libc.errno(callState) == Errno.EINTR);
        if (sent < 0) {
            throw new NetlinkException("send(" + length + " bytes)", Libc.errno(callState));
        }
        if (sent != length) {
            throw new NetlinkException("send: " + sent + " of " + length + " bytes sent", 0);
        }
    }

    /**
     * Receives one datagram if one is queued, without waiting. The kernel queues its replies before
     * {@code send} returns (except for the later parts of a dump, made as the earlier ones are read), so
     * this is how replies are read; {@link #awaitReadable} waits for one that is late.
     *
     * @return the number of bytes received, or -1 when nothing is queued
     * @throws NetlinkException on a receive error (ENOBUFS: replies were lost) or a reply larger than the buffer
     */
    @Override
    public int receiveNow(MemorySegment buffer) throws NetlinkException {
        return receive(buffer, Libc.MSG_DONTWAIT);
    }

    /**
     * Waits until a datagram is queued or {@code timeoutNanos} passed (rounded up to whole milliseconds).
     *
     * @return whether a datagram (or an error) is ready to be received
     */
    @Override
    public boolean awaitReadable(long timeoutNanos) throws NetlinkException {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(0, (timeoutNanos + 999_999) / 1_000_000));
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, Libc.POLLIN);
        pollFd.set(JAVA_SHORT, 6, (short) 0);
        int ready = calls.poll(callState, pollFd, 1, millis);
        if (ready < 0) {
            int errno = Libc.errno(callState);
            if (errno == Errno.EINTR) {
                return false; // the caller looks at its clock and waits again if time is left
            }
            throw new NetlinkException("poll", errno);
        }
        return ready > 0;
    }

    private int receive(MemorySegment buffer, int flags) throws NetlinkException {
        long received;
        do {
            received = calls.recv(callState, fd, buffer, buffer.byteSize(), Libc.MSG_TRUNC | flags);
        } while (received < 0 && Libc.errno(callState) == Errno.EINTR);
        if (received < 0) {
            int errno = Libc.errno(callState);
            if (errno == Errno.EAGAIN) {
                return -1;
            }
            throw new NetlinkException("recv", errno);
        }
        if (received > buffer.byteSize()) {
            throw new NetlinkException("reply of " + received + " bytes truncated to " + buffer.byteSize(), 0);
        }
        return (int) received;
    }

    /** Closes the file descriptor; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            calls.close(callState, fd);
        } finally {
            arena.close();
        }
    }
}
