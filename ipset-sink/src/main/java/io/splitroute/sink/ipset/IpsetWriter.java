package io.splitroute.sink.ipset;

import static io.splitroute.sink.ipset.IpsetProtocol.*;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.BulkSetWriter;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.SetElement;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.SetStatsCounter;
import io.splitroute.sink.SendRounds;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.TargetStats;
import io.splitroute.sink.netlink.Errno;
import io.splitroute.sink.netlink.NetlinkAttributes;
import io.splitroute.sink.netlink.NetlinkException;
import io.splitroute.sink.netlink.NetlinkExchange;
import io.splitroute.sink.netlink.NetlinkMessageBuilder;
import io.splitroute.sink.netlink.NetlinkReply;
import io.splitroute.sink.netlink.NetlinkSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes ipsets over nfnetlink: one {@code IPSET_CMD_ADD} message per set carries many elements (the
 * {@code IPSET_ATTR_ADT} form {@code ipset restore} uses), each with its own timeout and line number, and
 * the messages of all sets go out in one {@code send}. {@code NLM_F_EXCL} is not set, so re-adding an
 * existing element replaces its timeout (ipset's {@code -exist}).
 *
 * <p>When an element fails, the kernel stops that message and reports the element's line number; the
 * elements before it are in, the element is reported, and the rest are sent again.
 */
public final class IpsetWriter implements BulkSetWriter {
    /**
     * Elements per ADD message: an element takes at most 52 bytes, and the ADT attribute's 16-bit length
     * caps a message's elements at 64 KiB.
     */
    static final int ELEMENTS_PER_MESSAGE = 1024;
    private static final long SEND_LIMIT_BYTES = 256 * 1024;

    private final NetlinkExchange exchange;
    private final NetlinkMessageBuilder builder = new NetlinkMessageBuilder(128 * 1024);
    private final int protocol;
    private final Map<String, IpsetInfo> known = new ConcurrentHashMap<>();
    private final SetStatsCounter stats = new SetStatsCounter();
    // Scratch of the write methods (which are synchronized), reused so a write allocates little.
    private final SendRounds<Chunk> rounds = new SendRounds<>();
    private final SendRounds.Round<Chunk> sendRound = (chunks, again, round) -> sendRound(chunks, again);
    private int[] seqs = new int[4];
    private final List<SetError> errorsScratch = new ArrayList<>();

    private IpsetWriter(NetlinkExchange exchange, int protocol) {
        this.exchange = exchange;
        this.protocol = protocol;
    }

    /**
     * Opens a netfilter netlink socket (in {@code netns}, or the current namespace when {@code null}) and
     * agrees on the ipset protocol version with the kernel.
     *
     * @throws SetException if the socket cannot be opened, the caller lacks CAP_NET_ADMIN, or the kernel
     *     has no ipset support
     */
    public static IpsetWriter open(Path netns) throws SetException {
        NetlinkExchange exchange = null;
        try {
            exchange = new NetlinkExchange(NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, netns), 1 << 20);
            return new IpsetWriter(exchange, handshake(exchange));
        } catch (NetlinkException e) {
            if (exchange != null) {
                exchange.close();
            }
            if (e.errno() == Errno.EPERM) {
                throw new SetException(SetError.Kind.PERMISSION,
                        "ipset over netlink needs CAP_NET_ADMIN (EPERM): run as root or grant CAP_NET_ADMIN", e);
            }
            throw new SetException(SetError.Kind.IO, "cannot talk to the kernel's ipset: " + e.getMessage(), e);
        }
    }

    private static int handshake(NetlinkExchange exchange) throws NetlinkException {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(64);
        int seq = exchange.socket().nextSequence();
        b.begin(type(CMD_PROTOCOL), NLM_F_REQUEST | NLM_F_ACK, seq);
        b.nfgen(NFPROTO_IPV4, 0);
        b.putU8(ATTR_PROTOCOL, PROTOCOL_MAX);
        b.end();
        List<NetlinkReply> replies = exchange.exchange(b, seq);
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

    /** Returns the ipset protocol version agreed with the kernel (6 or 7). */
    public int protocol() {
        return protocol;
    }

    @Override
    public synchronized void probe(SetTarget target) throws SetException {
        IpsetTarget ipset = ipset(target);
        IpsetInfo info = list(ipset);
        if (info.family() != ipset.family()) {
            throw new SetException(SetError.Kind.WRONG_FAMILY, IpsetErrors.wrongFamily(ipset, info).message());
        }
        if (!info.typeName().equals("hash:ip") && !info.netType()) {
            throw new SetException(SetError.Kind.WRONG_FAMILY, target.displayName() + " is of type " + info.typeName()
                    + "; splitroute writes hash:ip or hash:net sets: " + IpsetErrors.createCommand(ipset));
        }
        known.put(ipset.name(), info);
    }

    /** Lists the header of {@code target}: type, family, timeout, maxelem, element count. */
    private IpsetInfo list(IpsetTarget target) throws SetException {
        int seq = exchange.socket().nextSequence();
        builder.reset();
        builder.begin(type(CMD_LIST), NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, seq);
        builder.nfgen(NFPROTO_IPV4, 0);
        builder.putU8(ATTR_PROTOCOL, protocol);
        builder.putString(ATTR_SETNAME, target.name());
        builder.putNetU32(ATTR_FLAGS, FLAG_LIST_HEADER);
        builder.end();
        List<NetlinkReply> replies = exchangeOrThrow(target, seq);
        for (NetlinkReply reply : replies) {
            if (reply.type() == type(CMD_LIST)) {
                NetlinkAttributes top = reply.nfAttributes();
                NetlinkAttributes data = top.nested(ATTR_DATA);
                AddressFamily family = top.u8(ATTR_FAMILY, 0) == NFPROTO_IPV6 ? AddressFamily.INET6 : AddressFamily.INET;
                IpsetInfo info = new IpsetInfo(String.valueOf(top.string(ATTR_TYPENAME)), family,
                        data.has(ATTR_TIMEOUT), data.be32(ATTR_TIMEOUT, 0), data.be32(ATTR_MAXELEM, -1),
                        data.be32(ATTR_ELEMENTS, -1));
                stats.recordProbe(target, info.elements(), info.maxElem());
                return info;
            }
        }
        throw new SetException(SetError.Kind.IO, "listing " + target.displayName() + ": the kernel sent no header");
    }

    private List<NetlinkReply> exchangeOrThrow(IpsetTarget target, int seq) throws SetException {
        List<NetlinkReply> replies;
        try {
            replies = exchange.exchange(builder, seq);
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

    @Override
    public synchronized void create(SetSpec spec) throws SetException {
        IpsetTarget target = ipset(spec.target());
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
        exchangeOrThrow(target, seq);
        known.remove(target.name());
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
        for (NetlinkReply reply : exchangeOrThrow(target, seq)) {
            if (reply.type() == type(CMD_TYPE)) {
                return reply.nfAttributes().u8(ATTR_REVISION, 0);
            }
        }
        throw new SetException(SetError.Kind.REJECTED, "the kernel does not know ipset type " + typeName);
    }

    /** One set's elements: the same as {@link #write(Map)}, with nothing allocated per call when all goes well. */
    @Override
    public synchronized List<SetError> write(SetTarget target, List<SetElement> elements) {
        rounds.clear(); // a write cut short by an exception (e.g. in a probe) may have left chunks
        List<SetError> targetErrors = errorsScratch;
        targetErrors.clear();
        if (!elements.isEmpty()) {
            prepare(ipset(target), elements, targetErrors, rounds.chunks());
        }
        rounds.run(sendRound);
        stats.recordWrite(target, elements.size(), targetErrors);
        return targetErrors.isEmpty() ? List.of() : List.copyOf(targetErrors);
    }

    @Override
    public synchronized Map<SetTarget, List<SetError>> write(Map<SetTarget, List<SetElement>> elementsByTarget) {
        rounds.clear(); // a write cut short by an exception (e.g. in a probe) may have left chunks
        Map<SetTarget, List<SetError>> errors = HashMap.newHashMap(elementsByTarget.size());
        for (Map.Entry<SetTarget, List<SetElement>> entry : elementsByTarget.entrySet()) {
            List<SetError> targetErrors = new ArrayList<>();
            errors.put(entry.getKey(), targetErrors);
            if (!entry.getValue().isEmpty()) {
                prepare(ipset(entry.getKey()), entry.getValue(), targetErrors, rounds.chunks());
            }
        }
        rounds.run(sendRound);
        for (Map.Entry<SetTarget, List<SetElement>> entry : elementsByTarget.entrySet()) {
            stats.recordWrite(entry.getKey(), entry.getValue().size(), errors.get(entry.getKey()));
        }
        return errors;
    }

    /** Probes the target if needed, drops elements of the wrong family, and cuts the rest into chunks. */
    private void prepare(IpsetTarget target, List<SetElement> elements, List<SetError> errors, List<Chunk> chunks) {
        IpsetInfo info = known.get(target.name());
        if (info == null) {
            try {
                probe(target);
                info = known.get(target.name());
            } catch (SetException e) {
                errors.add(new SetError(target, null, e.kind(), e.getMessage()));
                return;
            }
        }
        List<SetElement> valid = SetElement.allOf(elements, info.family()) ? elements
                : SetElement.ofFamily( // rare: copy the ones that fit
                        elements, info.family(), address -> errors.add(IpsetErrors.elementFamily(target, address)));
        if (valid.size() <= ELEMENTS_PER_MESSAGE) {
            if (!valid.isEmpty()) {
                chunks.add(new Chunk(target, info, valid, errors));
            }
            return;
        }
        for (int from = 0; from < valid.size(); from += ELEMENTS_PER_MESSAGE) {
            chunks.add(new Chunk(target, info, valid.subList(from, Math.min(valid.size(), from + ELEMENTS_PER_MESSAGE)), errors));
        }
    }

    /** Sends every chunk (in sends of at most 256 KiB); adds to {@code again} what is still to send. */
    private void sendRound(List<Chunk> chunks, List<Chunk> again) {
        if (seqs.length < chunks.size()) {
            seqs = new int[Math.max(chunks.size(), 2 * seqs.length)];
        }
        int next = 0;
        while (next < chunks.size()) {
            builder.reset();
            int first = next;
            while (next < chunks.size() && (next == first || builder.size() < SEND_LIMIT_BYTES)) {
                int seq = exchange.socket().nextSequence();
                appendAdd(chunks.get(next), seq);
                seqs[next - first] = seq;
                next++;
            }
            NetlinkReply[] acks;
            try {
                acks = exchange.exchangeAcks(builder, seqs, next - first);
            } catch (NetlinkException e) {
                for (int i = first; i < next; i++) {
                    Chunk chunk = chunks.get(i);
                    chunk.errors().add(new SetError(chunk.target(), null, SetError.Kind.IO,
                            "writing to " + chunk.target().displayName() + " failed: " + e.getMessage()));
                }
                continue;
            }
            for (int i = first; i < next; i++) {
                settle(chunks.get(i), acks[i - first], again);
            }
        }
    }

    /** Records the outcome of one chunk's ack; queues the elements after a failed one. */
    private void settle(Chunk chunk, NetlinkReply ack, List<Chunk> again) {
        int errno = ack.errno();
        if (errno == 0) {
            return;
        }
        List<SetError> errors = chunk.errors();
        byte[] echo = ack.echoedRequest();
        int lineno = echo.length > 20 ? NetlinkAttributes.parse(echo, 20, echo.length).u32(ATTR_LINENO, 0) : 0;
        if (errno == Errno.ENOENT || errno == ERR_PROTOCOL || errno == ERR_TIMEOUT) {
            known.remove(chunk.target().name()); // the set may have been recreated: probe again next time
        }
        if (lineno < 1 || lineno > chunk.elements().size()) {
            errors.add(IpsetErrors.of(errno, chunk.target(), null, chunk.info()));
            return;
        }
        SetElement failed = chunk.elements().get(lineno - 1);
        errors.add(IpsetErrors.of(errno, chunk.target(), failed.address(), chunk.info()));
        List<SetElement> rest = chunk.elements().subList(lineno, chunk.elements().size());
        if (errno == ERR_TIMEOUT) {
            for (SetElement element : rest) {
                errors.add(IpsetErrors.of(errno, chunk.target(), element.address(), chunk.info()));
            }
        } else if (!rest.isEmpty()) {
            again.add(new Chunk(chunk.target(), chunk.info(), rest, errors));
        }
    }

    private void appendAdd(Chunk chunk, int seq) {
        builder.begin(type(CMD_ADD), NLM_F_REQUEST | NLM_F_ACK, seq);
        builder.nfgen(NFPROTO_IPV4, 0);
        builder.putU8(ATTR_PROTOCOL, protocol);
        builder.putString(ATTR_SETNAME, chunk.target().name());
        builder.putU32(ATTR_LINENO, 0);
        long adt = builder.beginNested(ATTR_ADT);
        boolean net = chunk.info().netType();
        List<SetElement> elements = chunk.elements();
        for (int line = 1; line <= elements.size(); line++) {
            SetElement element = elements.get(line - 1);
            long data = builder.beginNested(ATTR_DATA);
            long ip = builder.beginNested(ATTR_IP);
            byte[] address = element.address().getAddress();
            builder.putBytes((address.length == 4 ? ATTR_IPADDR_IPV4 : ATTR_IPADDR_IPV6)
                    | NetlinkMessageBuilder.NLA_F_NET_BYTEORDER, address);
            builder.endNested(ip);
            if (net) {
                builder.putU8(ATTR_CIDR, address.length * 8);
            }
            long timeout = element.timeoutSeconds();
            if (timeout > 0) {
                builder.putNetU32(ATTR_TIMEOUT, (int) Math.min(timeout, MAX_TIMEOUT_SECONDS));
            }
            builder.putU32(ATTR_LINENO, line);
            builder.endNested(data);
        }
        builder.endNested(adt);
        builder.end();
    }

    private static IpsetTarget ipset(SetTarget target) {
        if (target instanceof IpsetTarget ipset) {
            return ipset;
        }
        throw new IllegalArgumentException("IpsetWriter writes ipsets, not " + target.displayName());
    }

    @Override
    public Map<SetTarget, TargetStats> stats() {
        return stats.snapshot();
    }

    /** Closes the socket. */
    @Override
    public synchronized void close() {
        exchange.close();
    }

    /** Elements of one target that go into one ADD message, and where that target's errors go. */
    private record Chunk(IpsetTarget target, IpsetInfo info, List<SetElement> elements, List<SetError> errors) {}
}
