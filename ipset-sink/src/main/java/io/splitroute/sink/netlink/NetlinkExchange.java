package io.splitroute.sink.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends a buffer of requests and reads replies until every awaited sequence number has its final
 * reply (an ack, an error, or the end of a dump). Replies are matched by sequence number; stray replies
 * to earlier requests are dropped. Not thread-safe: it owns the socket's receive side.
 */
public final class NetlinkExchange implements AutoCloseable {
    private final NetlinkSocket socket;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer;

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
     *     (e.g. an nftables batch header, which the kernel answers only on a batch-wide failure)
     * @return every kept reply, grouped by sequence number, in arrival order
     */
    public Map<Integer, List<NetlinkReply>> exchange(NetlinkMessageBuilder request, Set<Integer> awaited, Set<Integer> also)
            throws NetlinkException {
        socket.send(request.segment(), request.size());
        Map<Integer, List<NetlinkReply>> replies = new HashMap<>();
        Set<Integer> pending = new HashSet<>(awaited);
        while (!pending.isEmpty()) {
            int length = socket.receive(receiveBuffer);
            NetlinkReply.parse(receiveBuffer, length, reply -> {
                Integer seq = reply.seq();
                if (awaited.contains(seq) || also.contains(seq)) {
                    replies.computeIfAbsent(seq, k -> new ArrayList<>(2)).add(reply);
                    if (reply.type() == NetlinkReply.NLMSG_ERROR || reply.type() == NetlinkReply.NLMSG_DONE) {
                        pending.remove(seq);
                    }
                }
            });
        }
        return replies;
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
