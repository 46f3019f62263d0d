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
 * reply (an ack, an error, or the end of a dump). Replies are matched by sequence number; stray replies
 * to earlier requests are dropped. Not thread-safe: it owns the socket's receive side. Refuses to run on
 * a virtual thread, since the receive blocks in native code.
 */
public final class NetlinkExchange implements AutoCloseable {
    private final NetlinkSocket socket;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer;
    /** The final replies of the latest {@link #exchangeAcks} call (reused). */
    private NetlinkReply[] acks = new NetlinkReply[4];

    /** The error of a guard in the latest {@link #exchangeAcks} call. */
    private NetlinkReply guardError;
    private static final int[] NO_GUARDS = new int[0];

    /** What {@link #exchangeAcks} returns for every request the kernel acknowledged without error. */
    private static final NetlinkReply ACKED = new NetlinkReply(NetlinkReply.NLMSG_ERROR, 0, 0, new byte[4]);

    /** Creates an exchange over {@code socket} with a receive buffer of {@code receiveBytes}. */
    public NetlinkExchange(NetlinkSocket socket, int receiveBytes) {
        this.socket = socket;
        this.receiveBuffer = arena.allocate(receiveBytes, 8);
    }

    /** Returns the socket (for sequence numbers). */
    public NetlinkSocket socket() {
        return socket;
    }

    /**
     * Sends everything in {@code request} and waits for the final reply of each of {@code awaited}.
     *
     * @param also further sequence numbers whose replies are kept if they come, without waiting for them
     *     (an nftables batch header, which the kernel answers only when the batch as a whole fails). Once
     *     one of them brings an error, the replies still queued are read without waiting, and awaited
     *     sequence numbers the kernel did not answer are left out of the result.
     * @return every kept reply, grouped by sequence number, in arrival order
     */
    public Map<Integer, List<NetlinkReply>> exchange(NetlinkMessageBuilder request, Set<Integer> awaited, Set<Integer> also)
            throws NetlinkException {
        requirePlatformThread();
        socket.send(request.segment(), request.size());
        Map<Integer, List<NetlinkReply>> replies = HashMap.newHashMap(awaited.size() + also.size());
        Receiver receiver = new Receiver(awaited, also, replies);
        while (receiver.unanswered > 0) {
            int length = receiver.wholeRequestFailed ? socket.receiveNow(receiveBuffer) : socket.receive(receiveBuffer);
            if (length < 0) {
                break;
            }
            NetlinkReply.parse(receiveBuffer, length, receiver);
        }
        return replies;
    }

    /**
     * Sends everything in {@code request}, which holds {@code count} requests with sequence numbers
     * {@code seqs[0..count)} that each get just an ack or an error, and returns those final replies in the
     * same order. The lean form of {@link #exchange(NetlinkMessageBuilder, Set, Set)} for the hot write path:
     * no maps, no boxing, and nothing allocated for a successful ack.
     *
     * @return an array reused by the next call, whose first {@code count} entries are the final replies;
     *     every success is one shared reply with errno 0 (and seq 0), only an error is a reply of its own
     */
    public NetlinkReply[] exchangeAcks(NetlinkMessageBuilder request, int[] seqs, int count) throws NetlinkException {
        return exchangeAcks(request, seqs, count, NO_GUARDS);
    }

    /**
     * As {@link #exchangeAcks(NetlinkMessageBuilder, int[], int)}, for a request framed by messages the kernel
     * answers only when they fail (an nftables batch's begin and end: {@code guards}). Once one of them
     * brings an error, the replies still queued are read without waiting, the requests the kernel did not
     * answer keep a {@code null} entry, and {@link #guardError()} returns that error.
     */
    public NetlinkReply[] exchangeAcks(NetlinkMessageBuilder request, int[] seqs, int count, int[] guards)
            throws NetlinkException {
        requirePlatformThread();
        socket.send(request.segment(), request.size());
        if (acks.length < count) {
            acks = new NetlinkReply[Math.max(count, 2 * acks.length)];
        }
        java.util.Arrays.fill(acks, 0, count, null);
        guardError = null;
        int unanswered = count;
        while (unanswered > 0) {
            int length = guardError != null ? socket.receiveNow(receiveBuffer) : socket.receive(receiveBuffer);
            if (length < 0) {
                break;
            }
            unanswered -= takeAcks(length, seqs, count, guards);
        }
        return acks;
    }

    /** The error a guard of the latest {@link #exchangeAcks} call brought, or {@code null}. */
    public NetlinkReply guardError() {
        return guardError;
    }

    /**
     * Stores the final replies among the first {@code length} received bytes whose sequence numbers are
     * awaited and not yet answered, and the first error of a guard; replies to earlier requests are
     * dropped. Returns how many awaited replies it stored.
     */
    private int takeAcks(int length, int[] seqs, int count, int[] guards) {
        int stored = 0;
        int offset = 0;
        while (offset + 16 <= length) {
            int messageLength = receiveBuffer.get(JAVA_INT_UNALIGNED, offset);
            if (messageLength < 16 || offset + messageLength > length) {
                break;
            }
            int type = Short.toUnsignedInt(receiveBuffer.get(JAVA_SHORT_UNALIGNED, offset + 4));
            int seq = receiveBuffer.get(JAVA_INT_UNALIGNED, offset + 8);
            if (type == NetlinkReply.NLMSG_ERROR || type == NetlinkReply.NLMSG_DONE) {
                boolean ok = type == NetlinkReply.NLMSG_DONE
                        || (messageLength >= 20 && receiveBuffer.get(JAVA_INT_UNALIGNED, offset + 16) == 0);
                int slot = slot(seqs, count, seq);
                if (slot >= 0) {
                    acks[slot] = ok ? ACKED : NetlinkReply.copy(receiveBuffer, offset, messageLength);
                    stored++;
                } else if (!ok && guardError == null && contains(guards, seq)) {
                    guardError = NetlinkReply.copy(receiveBuffer, offset, messageLength);
                }
            }
            offset += (messageLength + 3) & ~3;
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

    /** recv blocks inside a native call, which would pin a virtual thread's carrier for the whole wait. */
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

    /** Sends one request with sequence number {@code seq} and returns its replies (final reply last). */
    public List<NetlinkReply> exchange(NetlinkMessageBuilder request, int seq) throws NetlinkException {
        return exchange(request, Set.of(seq), Set.of()).get(seq);
    }

    /** Closes the socket and frees the receive buffer. */
    @Override
    public void close() {
        socket.close();
        arena.close();
    }
}
