package io.splitroute.sink.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends a buffer of requests and reads replies until every awaited sequence number has its final
 * reply (an ack, an error, or the end of a dump), or the call's timeout passed. Replies are matched by
 * sequence number; stray replies to earlier requests are dropped. Not thread-safe: it owns the socket's
 * receive side. Refuses to run on a virtual thread, since a wait blocks in native code.
 *
 * <p>Replies are read without blocking: the kernel queues them inside {@code send}, so normally they are
 * all there and no clock is read. Only when one is missing (or only strays arrive) does the call start
 * its clock and wait, for at most the timeout in all; then {@link #timedOut()} is true and the requests
 * without a final reply are left unanswered in the result. A malformed reply is a {@link NetlinkException}.
 */
public final class NetlinkExchange implements AutoCloseable {
    /** The timeout of calls that name none: probes, creates, handshakes (never on an event loop's write path). */
    public static final long CONTROL_TIMEOUT_NANOS = 5_000_000_000L;

    private final NetlinkChannel socket;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer;
    /** The final replies of the latest {@link #exchangeAcks} call (reused). */
    private NetlinkReply[] acks = new NetlinkReply[4];

    /** The error of a guard in the latest {@link #exchangeAcks} call. */
    private NetlinkReply guardError;
    private static final int[] NO_GUARDS = new int[0];
    /** Whether the latest call ended because its timeout passed. */
    private boolean timedOut;
    /** Set once the current call had to wait: its clock runs until {@link #deadline}. */
    private boolean clockStarted;
    private long deadline;
    private long sends;

    /** What {@link #exchangeAcks} returns for every request the kernel acknowledged without error. */
    private static final NetlinkReply ACKED = new NetlinkReply(NetlinkReply.NLMSG_ERROR, 0, 0, new byte[4]);

    /** Creates an exchange over {@code socket} with a receive buffer of {@code receiveBytes}. */
    public NetlinkExchange(NetlinkChannel socket, int receiveBytes) {
        this.socket = socket;
        this.receiveBuffer = arena.allocate(receiveBytes, 8);
    }

    /** Returns the socket (for sequence numbers). */
    public NetlinkChannel socket() {
        return socket;
    }

    /** Returns how many request buffers this exchange sent: one per round trip to the kernel. */
    public long sends() {
        return sends;
    }

    /** Returns whether the latest call ended because its timeout passed with replies still missing. */
    public boolean timedOut() {
        return timedOut;
    }

    /**
     * Sends everything in {@code request} and waits, at most {@code timeoutNanos}, for the final reply of
     * each of {@code awaited}.
     *
     * @param also further sequence numbers whose replies are kept if they come, without waiting for them
     *     (an nftables batch header, which the kernel answers only when the batch as a whole fails). Once
     *     one of them brings an error, the replies still queued are read without waiting, and awaited
     *     sequence numbers the kernel did not answer are left out of the result.
     * @return every kept reply, grouped by sequence number, in arrival order
     */
    public Map<Integer, List<NetlinkReply>> exchange(NetlinkMessageBuilder request, Set<Integer> awaited, Set<Integer> also,
            long timeoutNanos) throws NetlinkException {
        start(request);
        Map<Integer, List<NetlinkReply>> replies = HashMap.newHashMap(awaited.size() + also.size());
        Receiver receiver = new Receiver(awaited, also, replies);
        while (receiver.unanswered > 0) {
            int length = receive(timeoutNanos, receiver.wholeRequestFailed);
            if (length < 0) {
                break;
            }
            int before = receiver.unanswered;
            NetlinkReply.parse(receiveBuffer, length, receiver);
            if (receiver.unanswered == before && pastDeadline(timeoutNanos)) {
                break;
            }
        }
        return replies;
    }

    /** As {@link #exchange(NetlinkMessageBuilder, Set, Set, long)} with the {@link #CONTROL_TIMEOUT_NANOS}. */
    public Map<Integer, List<NetlinkReply>> exchange(NetlinkMessageBuilder request, Set<Integer> awaited, Set<Integer> also)
            throws NetlinkException {
        return exchange(request, awaited, also, CONTROL_TIMEOUT_NANOS);
    }

    /**
     * Sends everything in {@code request}, which holds {@code count} requests with sequence numbers
     * {@code seqs[0..count)} that each get just an ack or an error, and returns those final replies in the
     * same order, waiting at most {@code timeoutNanos}. The lean form of {@link #exchange} for the hot write
     * path: no maps, no boxing, and nothing allocated for a successful ack.
     *
     * @return an array reused by the next call, whose first {@code count} entries are the final replies;
     *     every success is one shared reply with errno 0 (and seq 0), only an error is a reply of its own;
     *     {@code null} for a request not answered in time (then {@link #timedOut()} is true)
     */
    public NetlinkReply[] exchangeAcks(NetlinkMessageBuilder request, int[] seqs, int count, long timeoutNanos)
            throws NetlinkException {
        return exchangeAcks(request, seqs, count, NO_GUARDS, timeoutNanos);
    }

    /**
     * As {@link #exchangeAcks(NetlinkMessageBuilder, int[], int, long)}, for a request framed by messages the
     * kernel answers only when they fail (an nftables batch's begin and end: {@code guards}). Once one of them
     * brings an error, the replies still queued are read without waiting, the requests the kernel did not
     * answer keep a {@code null} entry, and {@link #guardError()} returns that error.
     */
    public NetlinkReply[] exchangeAcks(NetlinkMessageBuilder request, int[] seqs, int count, int[] guards,
            long timeoutNanos) throws NetlinkException {
        start(request);
        if (acks.length < count) {
            acks = new NetlinkReply[Math.max(count, 2 * acks.length)];
        }
        java.util.Arrays.fill(acks, 0, count, null);
        guardError = null;
        int unanswered = count;
        while (unanswered > 0) {
            int length = receive(timeoutNanos, guardError != null);
            if (length < 0) {
                break;
            }
            int stored = takeAcks(length, seqs, count, guards);
            unanswered -= stored;
            if (stored == 0 && pastDeadline(timeoutNanos)) {
                break;
            }
        }
        return acks;
    }

    /**
     * Sends one request per item, built into {@code builder} by {@code append} (item, sequence number), in
     * sends of at most {@code perSend} requests, and returns each item's final errno (0 for an ack); an item
     * the kernel did not answer within {@code timeoutNanos} per send is left out.
     */
    public <T> Map<T, Integer> askEach(NetlinkMessageBuilder builder, List<T> items, int perSend,
            java.util.function.ObjIntConsumer<T> append, long timeoutNanos) throws NetlinkException {
        Map<T, Integer> errnos = HashMap.newHashMap(items.size());
        int[] seqs = new int[Math.min(perSend, items.size())];
        for (int from = 0; from < items.size(); from += perSend) {
            int count = Math.min(perSend, items.size() - from);
            builder.reset();
            for (int i = 0; i < count; i++) {
                seqs[i] = socket.nextSequence();
                append.accept(items.get(from + i), seqs[i]);
            }
            NetlinkReply[] replies = exchangeAcks(builder, seqs, count, timeoutNanos);
            for (int i = 0; i < count; i++) {
                if (replies[i] != null) {
                    errnos.put(items.get(from + i), replies[i].errno());
                }
            }
        }
        return errnos;
    }

    /** The error a guard of the latest {@link #exchangeAcks} call brought, or {@code null}. */
    public NetlinkReply guardError() {
        return guardError;
    }

    private void start(NetlinkMessageBuilder request) throws NetlinkException {
        requirePlatformThread();
        timedOut = false;
        clockStarted = false;
        sends++;
        socket.send(request.segment(), request.size());
    }

    /**
     * Receives the next datagram: at once if one is queued; otherwise, unless {@code queuedOnly}, waits for
     * one until the call's deadline (starting its clock now if this is its first wait).
     *
     * @return its length, or -1 when nothing came (then {@link #timedOut} is set unless {@code queuedOnly})
     */
    private int receive(long timeoutNanos, boolean queuedOnly) throws NetlinkException {
        while (true) {
            int length = socket.receiveNow(receiveBuffer);
            if (length >= 0 || queuedOnly) {
                return length;
            }
            long left = startClock(timeoutNanos) - System.nanoTime();
            if (left <= 0) {
                timedOut = true;
                return -1;
            }
            socket.awaitReadable(left);
        }
    }

    /** Starts the call's clock if it is not running; returns its deadline. */
    private long startClock(long timeoutNanos) {
        if (!clockStarted) {
            clockStarted = true;
            deadline = System.nanoTime() + timeoutNanos;
        }
        return deadline;
    }

    /** After a datagram that answered nothing: whether the call's time is up (so strays cannot hold it forever). */
    private boolean pastDeadline(long timeoutNanos) {
        if (System.nanoTime() - startClock(timeoutNanos) >= 0) {
            timedOut = true;
            return true;
        }
        return false;
    }

    /**
     * Stores the final replies among the first {@code length} received bytes whose sequence numbers are
     * awaited and not yet answered, and the first error of a guard; replies to earlier requests are
     * dropped. Returns how many awaited replies it stored.
     *
     * @throws NetlinkException if the bytes are malformed
     */
    private int takeAcks(int length, int[] seqs, int count, int[] guards) throws NetlinkException {
        NetlinkReply.checkLength(receiveBuffer, length);
        int stored = 0;
        int offset = 0;
        while (offset < length) {
            int messageLength = NetlinkReply.messageLength(receiveBuffer, offset, length);
            int type = Short.toUnsignedInt(receiveBuffer.get(JAVA_SHORT_UNALIGNED, offset + 4));
            int seq = receiveBuffer.get(JAVA_INT_UNALIGNED, offset + 8);
            if (type == NetlinkReply.NLMSG_ERROR || type == NetlinkReply.NLMSG_DONE) {
                boolean ok = type == NetlinkReply.NLMSG_DONE
                        || (messageLength >= 20 && receiveBuffer.get(JAVA_INT_UNALIGNED, offset + 16) == 0);
                int slot = slot(seqs, count, seq);
                if (slot >= 0) {
                    acks[slot] = ok ? ACKED : NetlinkReply.read(receiveBuffer, offset, messageLength);
                    stored++;
                } else if (!ok && guardError == null && contains(guards, seq)) {
                    guardError = NetlinkReply.read(receiveBuffer, offset, messageLength);
                }
            }
            offset = NetlinkReply.next(offset, messageLength);
        }
        return stored;
    }

    /** The index of {@code seq} among the awaited {@code seqs[0..count)} that have no reply yet, or -1. */
    private int slot(int[] seqs, int count, int seq) {
        for (int i = 0; i < count; i++) {
            if (seqs[i] == seq && acks[i] == null) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    /** A wait blocks inside a native call, which would pin a virtual thread's carrier for the whole wait. */
    private static void requirePlatformThread() {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("netlink exchange on virtual thread " + Thread.currentThread()
                    + ": use a platform thread (BatchingSetWriter owns one)");
        }
    }

    /** Keeps the replies of one exchange and counts the awaited sequence numbers still without a final reply. */
    private static final class Receiver implements java.util.function.Consumer<NetlinkReply> {
        private final Set<Integer> awaited;
        private final Set<Integer> also;
        private final Map<Integer, List<NetlinkReply>> replies;
        int unanswered;
        boolean wholeRequestFailed;

        Receiver(Set<Integer> awaited, Set<Integer> also, Map<Integer, List<NetlinkReply>> replies) {
            this.awaited = awaited;
            this.also = also;
            this.replies = replies;
            this.unanswered = awaited.size();
        }

        @Override
        public void accept(NetlinkReply reply) {
            Integer seq = reply.seq();
            boolean isAwaited = awaited.contains(seq);
            if (!isAwaited && !also.contains(seq)) {
                return; // a stray reply to an earlier request
            }
            List<NetlinkReply> kept = replies.computeIfAbsent(seq, k -> new ArrayList<>(2));
            boolean answeredBefore = !kept.isEmpty() && kept.getLast().isFinal();
            kept.add(reply);
            if (isAwaited && !answeredBefore && reply.isFinal()) {
                unanswered--;
            }
            if (also.contains(seq) && reply.errno() != 0) {
                wholeRequestFailed = true;
            }
        }
    }

    /**
     * Sends one request with sequence number {@code seq} and returns its replies (final reply last), waiting
     * at most {@code timeoutNanos}.
     *
     * @throws NetlinkException also when the kernel sent no final reply in time
     */
    public List<NetlinkReply> exchange(NetlinkMessageBuilder request, int seq, long timeoutNanos) throws NetlinkException {
        List<NetlinkReply> replies = exchange(request, Set.of(seq), Set.of(), timeoutNanos).get(seq);
        if (replies == null || !replies.getLast().isFinal()) {
            throw new NetlinkException("no reply from the kernel within " + timeoutNanos / 1_000_000 + " ms", Errno.EAGAIN);
        }
        return replies;
    }

    /** As {@link #exchange(NetlinkMessageBuilder, int, long)} with the {@link #CONTROL_TIMEOUT_NANOS}. */
    public List<NetlinkReply> exchange(NetlinkMessageBuilder request, int seq) throws NetlinkException {
        return exchange(request, seq, CONTROL_TIMEOUT_NANOS);
    }

    /** Closes the socket and frees the receive buffer. */
    @Override
    public void close() {
        socket.close();
        arena.close();
    }
}
