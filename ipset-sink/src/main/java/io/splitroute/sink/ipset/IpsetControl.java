package io.splitroute.sink.ipset;

import static io.splitroute.sink.ipset.IpsetProtocol.*;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetSpec;
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

/**
 * The ipset requests that are not writes: the protocol handshake, listing a set's header, creating a set,
 * and testing addresses for membership. Used by {@link IpsetWriter} under its lock, on its socket.
 */
final class IpsetControl {
    /** Requests per send when testing addresses: bounds the acks queued on the socket at once. */
    private static final int TESTS_PER_SEND = 256;

    private final NetlinkExchange exchange;
    private final int protocol;
    private final NetlinkMessageBuilder builder = new NetlinkMessageBuilder(1024);

    IpsetControl(NetlinkExchange exchange, int protocol) {
        this.exchange = exchange;
        this.protocol = protocol;
    }

    /** Agrees on the protocol version with the kernel, the highest both speak (6 or 7), waiting at most {@code timeoutNanos}. */
    static int handshake(NetlinkExchange exchange, long timeoutNanos) throws NetlinkException {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(64);
        int seq = exchange.socket().nextSequence();
        b.begin(type(CMD_PROTOCOL), NLM_F_REQUEST | NLM_F_ACK, seq);
        b.nfgen(NFPROTO_IPV4, 0);
        b.putU8(ATTR_PROTOCOL, PROTOCOL_MAX);
        b.end();
        List<NetlinkReply> replies = exchange.exchange(b, seq, timeoutNanos);
        NetlinkReply last = replies.getLast();
        if (last.errno() != 0) {
            throw new NetlinkException("ipset protocol handshake", last.errno());
        }
        for (NetlinkReply reply : replies) {
            if (reply.type() == type(CMD_PROTOCOL)) {
                int kernelMax = reply.nfAttributes().u8(ATTR_PROTOCOL, 0);
                if (kernelMax < PROTOCOL_MIN) {
                    throw new NetlinkException("kernel ipset protocol " + kernelMax + " is older than " + PROTOCOL_MIN, 0);
                }
                return Math.min(kernelMax, PROTOCOL_MAX);
            }
        }
        throw new NetlinkException("ipset protocol handshake: no version in the reply", 0);
    }

    /** Lists the header of {@code target} (type, family, timeout, maxelem, element count), waiting at most {@code timeoutNanos}. */
    IpsetInfo list(IpsetTarget target, long timeoutNanos) throws SetException {
        int seq = exchange.socket().nextSequence();
        builder.reset();
        builder.begin(type(CMD_LIST), NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, seq);
        builder.nfgen(NFPROTO_IPV4, 0);
        builder.putU8(ATTR_PROTOCOL, protocol);
        builder.putString(ATTR_SETNAME, target.name());
        builder.putNetU32(ATTR_FLAGS, FLAG_LIST_HEADER);
        builder.end();
        try {
            for (NetlinkReply reply : exchangeOrThrow(target, seq, timeoutNanos)) {
                if (reply.type() == type(CMD_LIST)) {
                    NetlinkAttributes top = reply.nfAttributes();
                    NetlinkAttributes data = top.nested(ATTR_DATA);
                    AddressFamily family = top.u8(ATTR_FAMILY, 0) == NFPROTO_IPV6 ? AddressFamily.INET6 : AddressFamily.INET;
                    return new IpsetInfo(String.valueOf(top.string(ATTR_TYPENAME)), family,
                            data.has(ATTR_TIMEOUT), data.be32(ATTR_TIMEOUT, 0), data.be32(ATTR_MAXELEM, -1),
                            data.be32(ATTR_ELEMENTS, -1));
                }
            }
        } catch (NetlinkException e) {
            throw new SetException(SetError.Kind.IO, "listing " + target.displayName() + ": " + e.getMessage(), e);
        }
        throw new SetException(SetError.Kind.IO, "listing " + target.displayName() + ": the kernel sent no header");
    }

    /** Creates the set of {@code spec} with the newest revision of its type the kernel knows. */
    void create(IpsetTarget target, SetSpec spec) throws SetException {
        int nfproto = target.family() == AddressFamily.INET6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
        int revision = maxRevision(target, spec.type(), nfproto);
        int seq = exchange.socket().nextSequence();
        builder.reset();
        builder.begin(type(CMD_CREATE), NLM_F_REQUEST | NLM_F_ACK, seq);
        builder.nfgen(nfproto, 0);
        builder.putU8(ATTR_PROTOCOL, protocol);
        builder.putString(ATTR_SETNAME, target.name());
        builder.putString(ATTR_TYPENAME, spec.type());
        builder.putU8(ATTR_REVISION, revision);
        builder.putU8(ATTR_FAMILY, nfproto);
        long data = builder.beginNested(ATTR_DATA);
        builder.putNetU32(ATTR_TIMEOUT, (int) Math.min(spec.defaultTimeout().toSeconds(), MAX_TIMEOUT_SECONDS));
        if (spec.hashSize() > 0) {
            builder.putNetU32(ATTR_HASHSIZE, spec.hashSize());
        }
        if (spec.maxElem() > 0) {
            builder.putNetU32(ATTR_MAXELEM, spec.maxElem());
        }
        builder.endNested(data);
        builder.end();
        exchangeOrThrow(target, seq, NetlinkExchange.CONTROL_TIMEOUT_NANOS);
    }

    private int maxRevision(IpsetTarget target, String typeName, int nfproto) throws SetException {
        int seq = exchange.socket().nextSequence();
        builder.reset();
        builder.begin(type(CMD_TYPE), NLM_F_REQUEST | NLM_F_ACK, seq);
        builder.nfgen(nfproto, 0);
        builder.putU8(ATTR_PROTOCOL, protocol);
        builder.putString(ATTR_TYPENAME, typeName);
        builder.putU8(ATTR_FAMILY, nfproto);
        builder.end();
        try {
            for (NetlinkReply reply : exchangeOrThrow(target, seq, NetlinkExchange.CONTROL_TIMEOUT_NANOS)) {
                if (reply.type() == type(CMD_TYPE)) {
                    return reply.nfAttributes().u8(ATTR_REVISION, 0);
                }
            }
        } catch (NetlinkException e) {
            throw new SetException(SetError.Kind.IO, "asking for ipset type " + typeName + ": " + e.getMessage(), e);
        }
        throw new SetException(SetError.Kind.REJECTED, "the kernel does not know ipset type " + typeName);
    }

    /**
     * Tests each of {@code addresses} for membership of {@code target} ({@code IPSET_CMD_TEST}, one request
     * each; for hash:net the kernel tries every prefix length in the set). An address of the other family is
     * no member; one the kernel could not test is left out.
     */
    Map<InetAddress, Boolean> members(IpsetTarget target, AddressFamily family, Collection<InetAddress> addresses)
            throws SetException {
        Map<InetAddress, Boolean> members = new HashMap<>();
        List<InetAddress> testable = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (AddressFamily.of(address) == family) {
                testable.add(address);
            } else {
                members.put(address, false);
            }
        }
        try {
            exchange.askEach(builder, testable, TESTS_PER_SEND, (address, seq) -> appendTest(target, address, seq),
                    NetlinkExchange.CONTROL_TIMEOUT_NANOS).forEach((address, errno) -> {
                        if (errno == 0 || errno == ERR_EXIST) { // ERR_EXIST: not in the set
                            members.put(address, errno == 0);
                        }
                    });
        } catch (NetlinkException e) {
            throw new SetException(SetError.Kind.IO, "testing " + target.displayName() + ": " + e.getMessage(), e);
        }
        return members;
    }

    private void appendTest(IpsetTarget target, InetAddress address, int seq) {
        builder.begin(type(CMD_TEST), NLM_F_REQUEST | NLM_F_ACK, seq);
        builder.nfgen(NFPROTO_IPV4, 0);
        builder.putU8(ATTR_PROTOCOL, protocol);
        builder.putString(ATTR_SETNAME, target.name());
        long data = builder.beginNested(ATTR_DATA);
        long ip = builder.beginNested(ATTR_IP);
        byte[] bytes = address.getAddress();
        builder.putBytes((bytes.length == 4 ? ATTR_IPADDR_IPV4 : ATTR_IPADDR_IPV6) | NetlinkMessageBuilder.NLA_F_NET_BYTEORDER, bytes);
        builder.endNested(ip);
        builder.endNested(data);
        builder.end();
    }

    /** Sends the request in the builder and returns its replies; an error reply becomes a SetException. */
    private List<NetlinkReply> exchangeOrThrow(IpsetTarget target, int seq, long timeoutNanos) throws SetException {
        List<NetlinkReply> replies;
        try {
            replies = exchange.exchange(builder, seq, timeoutNanos);
        } catch (NetlinkException e) {
            throw new SetException(SetError.Kind.IO, target.displayName() + ": " + e.getMessage(), e);
        }
        int errno = replies.getLast().errno();
        if (errno != 0) {
            SetError error = IpsetErrors.of(errno, target, null, null);
            throw new SetException(error.kind(), error.message());
        }
        return replies;
    }
}
