package io.splitroute.sink.nft;

import static io.splitroute.sink.nft.NftProtocol.*;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.NftSetTarget;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.netlink.Errno;
import io.splitroute.sink.netlink.NetlinkAttributes;
import io.splitroute.sink.netlink.NetlinkException;
import io.splitroute.sink.netlink.NetlinkExchange;
import io.splitroute.sink.netlink.NetlinkMessageBuilder;
import io.splitroute.sink.netlink.NetlinkReply;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nftables requests that are not writes: getting a set's description, telling a missing table from a
 * missing set, creating a set, and looking addresses up in a set. Used by {@link NftSetWriter} under its
 * lock, on its socket.
 */
final class NftControl {
    /** Lookups per send: bounds the replies queued on the socket at once. */
    private static final int LOOKUPS_PER_SEND = 256;

    private final NetlinkExchange exchange;
    private final NetlinkMessageBuilder builder = new NetlinkMessageBuilder(1024);

    NftControl(NetlinkExchange exchange) {
        this.exchange = exchange;
    }

    /** Gets the set's flags, key, default timeout and size ({@code NFT_MSG_GETSET}), waiting at most {@code timeoutNanos}. */
    NftSetInfo getSet(NftSetTarget target, long timeoutNanos) throws SetException {
        int seq = exchange.socket().nextSequence();
        builder.reset();
        builder.begin(type(MSG_GETSET), NLM_F_REQUEST | NLM_F_ACK, seq);
        builder.nfgen(nfproto(target.tableFamily()), 0);
        builder.putString(SET_TABLE, target.table());
        builder.putString(SET_NAME, target.set());
        builder.end();
        List<NetlinkReply> replies;
        try {
            replies = exchange.exchange(builder, seq, timeoutNanos);
            NetlinkReply last = replies.getLast();
            if (last.errno() != 0) {
                SetError error = targetError(last.errno(), target, null, last.extAckMessage(), timeoutNanos);
                throw new SetException(error.kind(), error.message());
            }
            for (NetlinkReply reply : replies) {
                if (reply.type() == type(MSG_NEWSET)) {
                    NetlinkAttributes a = reply.nfAttributes();
                    return new NftSetInfo((int) a.be32(SET_FLAGS, 0), (int) a.be32(SET_KEY_TYPE, 0),
                            (int) a.be32(SET_KEY_LEN, 0), a.be64(SET_TIMEOUT, 0), a.nested(SET_DESC).be32(SET_DESC_SIZE, 0));
                }
            }
        } catch (NetlinkException e) {
            throw new SetException(SetError.Kind.IO, target.displayName() + ": " + e.getMessage(), e);
        }
        throw new SetException(SetError.Kind.IO, "getting " + target.displayName() + ": the kernel sent no set");
    }

    /**
     * Decodes a target-level error; for ENOENT asks the kernel (waiting at most {@code timeoutNanos})
     * whether the table or the set is missing.
     */
    SetError targetError(int errno, NftSetTarget target, NftSetInfo info, String extAck, long timeoutNanos) {
        if (errno == Errno.ENOENT) {
            return tableExists(target, timeoutNanos) ? NftErrors.missingSet(target) : NftErrors.missingTable(target);
        }
        return NftErrors.of(errno, target, null, info, extAck);
    }

    private boolean tableExists(NftSetTarget target, long timeoutNanos) {
        int seq = exchange.socket().nextSequence();
        builder.reset();
        builder.begin(type(MSG_GETTABLE), NLM_F_REQUEST | NLM_F_ACK, seq);
        builder.nfgen(nfproto(target.tableFamily()), 0);
        builder.putString(TABLE_NAME, target.table());
        builder.end();
        try {
            return exchange.exchange(builder, seq, timeoutNanos).getLast().errno() != Errno.ENOENT;
        } catch (NetlinkException e) {
            return true;
        }
    }

    /**
     * Creates the set in its (existing) table: key {@code ipv4_addr}/{@code ipv6_addr}, {@code flags timeout}
     * (plus {@code interval} for {@code hash:net}), the default timeout and {@code size maxElem}.
     */
    void create(NftSetTarget target, SetSpec spec) throws SetException {
        int nfproto = nfproto(target.tableFamily());
        builder.reset();
        int begin = exchange.socket().nextSequence();
        NftSetWriter.beginBatch(builder, begin);
        int seq = exchange.socket().nextSequence();
        builder.begin(type(MSG_NEWSET), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, seq);
        builder.nfgen(nfproto, 0);
        builder.putString(SET_TABLE, target.table());
        builder.putString(SET_NAME, target.set());
        builder.putBe32(SET_FLAGS, SET_F_TIMEOUT | ("hash:net".equals(spec.type()) ? SET_F_INTERVAL : 0));
        boolean v4 = target.family() == AddressFamily.INET;
        builder.putBe32(SET_KEY_TYPE, v4 ? TYPE_IPADDR : TYPE_IP6ADDR);
        builder.putBe32(SET_KEY_LEN, v4 ? 4 : 16);
        builder.putBe32(SET_ID, 1);
        if (spec.defaultTimeout().toMillis() > 0) {
            builder.putBe64(SET_TIMEOUT, spec.defaultTimeout().toMillis());
        }
        if (spec.maxElem() > 0) {
            long desc = builder.beginNested(SET_DESC);
            builder.putBe32(SET_DESC_SIZE, spec.maxElem());
            builder.endNested(desc);
        }
        builder.end();
        int end = exchange.socket().nextSequence();
        NftSetWriter.endBatch(builder, end);
        Map<Integer, List<NetlinkReply>> replies;
        try {
            replies = exchange.exchange(builder, Set.of(seq), Set.of(begin, end));
        } catch (NetlinkException e) {
            throw new SetException(SetError.Kind.IO, "creating " + target.displayName() + ": " + e.getMessage(), e);
        }
        List<NetlinkReply> answer = replies.get(seq) != null ? replies.get(seq) : replies.get(begin);
        if (answer == null) {
            throw new SetException(SetError.Kind.IO, "creating " + target.displayName() + ": the kernel did not answer");
        }
        NetlinkReply ack = answer.getLast();
        if (ack.errno() == Errno.EPERM) {
            throw new SetException(SetError.Kind.PERMISSION, NftErrors.permission(target).message());
        }
        if (ack.errno() == Errno.ENOENT) {
            throw new SetException(SetError.Kind.MISSING_SET, NftErrors.missingTable(target).message());
        }
        if (ack.errno() != 0) {
            throw new SetException(SetError.Kind.REJECTED, "creating " + target.displayName() + " failed: "
                    + Errno.describe(ack.errno()) + (ack.extAckMessage() == null ? "" : " (" + ack.extAckMessage() + ")"));
        }
    }

    /**
     * Looks each of {@code addresses} up in {@code target} ({@code NFT_MSG_GETSETELEM}, one request each; in
     * an interval set the kernel finds the interval holding it). An address of the other family is no
     * member; one the kernel could not look up is left out.
     */
    Map<InetAddress, Boolean> members(NftSetTarget target, AddressFamily family, Collection<InetAddress> addresses)
            throws SetException {
        Map<InetAddress, Boolean> members = new HashMap<>();
        List<InetAddress> lookups = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (AddressFamily.of(address) == family) {
                lookups.add(address);
            } else {
                members.put(address, false);
            }
        }
        try {
            exchange.askEach(builder, lookups, LOOKUPS_PER_SEND, (address, seq) -> appendLookup(target, address, seq),
                    NetlinkExchange.CONTROL_TIMEOUT_NANOS).forEach((address, errno) -> {
                        if (errno == 0 || errno == Errno.ENOENT) { // ENOENT: not in the set
                            members.put(address, errno == 0);
                        }
                    });
        } catch (NetlinkException e) {
            throw new SetException(SetError.Kind.IO, "looking up elements of " + target.displayName() + ": "
                    + e.getMessage(), e);
        }
        return members;
    }

    private void appendLookup(NftSetTarget target, InetAddress address, int seq) {
        builder.begin(type(MSG_GETSETELEM), NLM_F_REQUEST | NLM_F_ACK, seq);
        builder.nfgen(nfproto(target.tableFamily()), 0);
        builder.putString(ELEM_LIST_TABLE, target.table());
        builder.putString(ELEM_LIST_SET, target.set());
        long list = builder.beginNested(ELEM_LIST_ELEMENTS);
        long elem = builder.beginNested(LIST_ELEM);
        long key = builder.beginNested(ELEM_KEY);
        builder.putBytes(DATA_VALUE, address.getAddress());
        builder.endNested(key);
        builder.endNested(elem);
        builder.endNested(list);
        builder.end();
    }
}
