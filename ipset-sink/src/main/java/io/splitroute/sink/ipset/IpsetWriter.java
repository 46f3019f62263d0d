package io.splitroute.sink.ipset;

import static io.splitroute.sink.ipset.IpsetProtocol.*;

import io.splitroute.sink.BulkSetWriter;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.SendRounds;
import io.splitroute.sink.SetElement;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetInspection;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.SetStatsCounter;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.SetWriter;
import io.splitroute.sink.TargetStats;
import io.splitroute.sink.netlink.Errno;
import io.splitroute.sink.netlink.NetlinkAttributes;
import io.splitroute.sink.netlink.NetlinkChannel;
import io.splitroute.sink.netlink.NetlinkException;
import io.splitroute.sink.netlink.NetlinkExchange;
import io.splitroute.sink.netlink.NetlinkMessageBuilder;
import io.splitroute.sink.netlink.NetlinkReply;
import io.splitroute.sink.netlink.NetlinkSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
 * <p>When an element fails, the kernel stops that message and reports the element's line number: the
 * elements before it are in, the element is reported. The rest go out in a second and last round, one
 * message per element in one send, each acked on its own, so every one of them lands or is reported
 * however many fail (a full set still takes existing elements: their timeouts are refreshed). A write
 * therefore takes at most two rounds; a round is one send per 256 KiB or 512 messages.
 */
public final class IpsetWriter implements BulkSetWriter {
    /**
     * Elements per ADD message: an element takes at most 52 bytes, and the ADT attribute's 16-bit length
     * caps a message's elements at 64 KiB.
     */
    static final int ELEMENTS_PER_MESSAGE = 1024;
    private static final long SEND_LIMIT_BYTES = 256 * 1024;
    /** Messages per send: each gets an ack of its own, queued on the socket until read. */
    private static final int MESSAGES_PER_SEND = 512;
    private static final int MAX_ROUNDS = 2;

    private final NetlinkExchange exchange;
    private final IpsetControl control;
    private final NetlinkMessageBuilder builder = new NetlinkMessageBuilder(128 * 1024);
    private final int protocol;
    private final Map<String, IpsetInfo> known = new ConcurrentHashMap<>();
    private final SetStatsCounter stats = new SetStatsCounter();
    private volatile long writeDeadlineNanos = SetWriter.DEFAULT_WRITE_DEADLINE.toNanos();
    // Scratch of the write methods (which are synchronized), reused so a write allocates little.
    private final SendRounds<Chunk> rounds = new SendRounds<>();
    private final SendRounds.Round<Chunk> sendRound = (chunks, again, round, last) -> sendRound(chunks, again, last);
    private int[] seqs = new int[4];
    private final List<SetError> errorsScratch = new ArrayList<>();
    /** Set when a send of the current write went unacknowledged: nothing more is sent in that write. */
    private boolean stalled;

    private IpsetWriter(NetlinkExchange exchange, int protocol) {
        this.exchange = exchange;
        this.protocol = protocol;
        this.control = new IpsetControl(exchange, protocol);
    }

    /**
     * Opens a netfilter netlink socket (in {@code netns}, or the current namespace when {@code null}) and
     * agrees on the ipset protocol version with the kernel.
     *
     * @throws SetException if the socket cannot be opened, the caller lacks CAP_NET_ADMIN, or the kernel
     *     has no ipset support
     */
    public static IpsetWriter open(Path netns) throws SetException {
        return open(netns, NetlinkExchange.CONTROL_TIMEOUT_NANOS, SetWriter.DEFAULT_WRITE_DEADLINE);
    }

    /**
     * As {@link #open(Path)}, for a caller that must not wait long (an event loop's first write): the
     * handshake waits at most {@code writeDeadline}, which is also the {@link #writeDeadline} of writes.
     */
    public static IpsetWriter open(Path netns, Duration writeDeadline) throws SetException {
        return open(netns, writeDeadline.toNanos(), writeDeadline);
    }

    private static IpsetWriter open(Path netns, long handshakeTimeoutNanos, Duration writeDeadline) throws SetException {
        NetlinkChannel socket;
        try {
            socket = NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, netns);
        } catch (NetlinkException e) {
            throw opening(e);
        }
        IpsetWriter writer = over(socket, handshakeTimeoutNanos);
        writer.writeDeadline(writeDeadline);
        return writer;
    }

    /** A writer over {@code channel} (a netfilter socket; in tests, a double around one), which it owns. */
    static IpsetWriter over(NetlinkChannel channel) throws SetException {
        return over(channel, NetlinkExchange.CONTROL_TIMEOUT_NANOS);
    }

    private static IpsetWriter over(NetlinkChannel channel, long handshakeTimeoutNanos) throws SetException {
        NetlinkExchange exchange = new NetlinkExchange(channel, 1 << 20);
        try {
            return new IpsetWriter(exchange, IpsetControl.handshake(exchange, handshakeTimeoutNanos));
        } catch (NetlinkException e) {
            exchange.close();
            throw opening(e);
        }
    }

    private static SetException opening(NetlinkException e) {
        if (e.errno() == Errno.EPERM) {
            return new SetException(SetError.Kind.PERMISSION,
                    "ipset over netlink needs CAP_NET_ADMIN (EPERM): run as root or grant CAP_NET_ADMIN", e);
        }
        return new SetException(SetError.Kind.IO, "cannot talk to the kernel's ipset: " + e.getMessage(), e);
    }

    /** Returns the ipset protocol version agreed with the kernel (6 or 7). */
    public int protocol() {
        return protocol;
    }

    @Override
    public void writeDeadline(Duration deadline) {
        writeDeadlineNanos = deadline.toNanos();
    }

    /** Round trips to the kernel so far (sends, each with its acks): for tests of how many a write takes. */
    synchronized long roundTrips() {
        return exchange.sends();
    }

    @Override
    public synchronized void probe(SetTarget target) throws SetException {
        check(ipset(target), NetlinkExchange.CONTROL_TIMEOUT_NANOS);
    }

    /** Lists {@code target} and checks splitroute can write it; remembers what it learnt. */
    private IpsetInfo check(IpsetTarget target, long timeoutNanos) throws SetException {
        IpsetInfo info = control.list(target, timeoutNanos);
        stats.recordProbe(target, info.elements(), info.maxElem());
        String problem = problem(target, info);
        if (problem != null) {
            throw new SetException(SetError.Kind.WRONG_FAMILY, problem);
        }
        known.put(target.name(), info);
        return info;
    }

    /** Why splitroute cannot write {@code target} as it is, or {@code null} if it can. */
    private static String problem(IpsetTarget target, IpsetInfo info) {
        if (info.family() != target.family()) {
            return IpsetErrors.wrongFamily(target, info).message();
        }
        if (!info.typeName().equals("hash:ip") && !info.netType()) {
            return target.displayName() + " is of type " + info.typeName()
                    + "; splitroute writes hash:ip or hash:net sets: " + IpsetErrors.createCommand(target);
        }
        return null;
    }

    @Override
    public synchronized void create(SetSpec spec) throws SetException {
        IpsetTarget target = ipset(spec.target());
        control.create(target, spec);
        known.remove(target.name());
    }

    /** Lists {@code target} and tests each of {@code addresses} ({@code IPSET_CMD_TEST}). */
    @Override
    public synchronized SetInspection inspect(SetTarget target, Collection<InetAddress> addresses) throws SetException {
        IpsetTarget ipset = ipset(target);
        IpsetInfo info;
        try {
            info = control.list(ipset, NetlinkExchange.CONTROL_TIMEOUT_NANOS);
        } catch (SetException e) {
            if (e.kind() == SetError.Kind.MISSING_SET) {
                return SetInspection.missing(target, e.getMessage());
            }
            throw e;
        }
        stats.recordProbe(ipset, info.elements(), info.maxElem());
        return new SetInspection(target, true, info.family(), info.typeName(), info.netType(), info.timeoutSupport(),
                info.elements(), info.maxElem(), problem(ipset, info), control.members(ipset, info.family(), addresses));
    }

    /** One set's elements: the same as {@link #write(Map)}, with nothing allocated per call when all goes well. */
    @Override
    public synchronized List<SetError> write(SetTarget target, List<SetElement> elements) {
        rounds.clear(); // a write cut short by an exception (e.g. in a probe) may have left chunks
        stalled = false;
        List<SetError> targetErrors = errorsScratch;
        targetErrors.clear();
        if (!elements.isEmpty()) {
            prepare(ipset(target), elements, targetErrors, rounds.chunks());
        }
        rounds.run(sendRound, MAX_ROUNDS);
        stats.recordWrite(target, elements.size(), targetErrors);
        return targetErrors.isEmpty() ? List.of() : List.copyOf(targetErrors);
    }

    @Override
    public synchronized Map<SetTarget, List<SetError>> write(Map<SetTarget, List<SetElement>> elementsByTarget) {
        rounds.clear(); // a write cut short by an exception (e.g. in a probe) may have left chunks
        stalled = false;
        Map<SetTarget, List<SetError>> errors = HashMap.newHashMap(elementsByTarget.size());
        for (Map.Entry<SetTarget, List<SetElement>> entry : elementsByTarget.entrySet()) {
            List<SetError> targetErrors = new ArrayList<>();
            errors.put(entry.getKey(), targetErrors);
            if (!entry.getValue().isEmpty()) {
                prepare(ipset(entry.getKey()), entry.getValue(), targetErrors, rounds.chunks());
            }
        }
        rounds.run(sendRound, MAX_ROUNDS);
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
                info = check(target, writeDeadlineNanos); // on the write path: within the write's deadline
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

    /**
     * Sends every chunk (in sends of at most 256 KiB and 512 messages); adds to {@code again} the elements
     * after a failed one, unless this is the {@code last} round. Once a send goes unacknowledged within the
     * write deadline, the rest are not sent.
     */
    private void sendRound(List<Chunk> chunks, List<Chunk> again, boolean last) {
        if (seqs.length < Math.min(chunks.size(), MESSAGES_PER_SEND)) {
            seqs = new int[Math.min(MESSAGES_PER_SEND, Math.max(chunks.size(), 2 * seqs.length))];
        }
        int next = 0;
        while (next < chunks.size()) {
            if (stalled) {
                for (int i = next; i < chunks.size(); i++) {
                    notSent(chunks.get(i));
                }
                return;
            }
            builder.reset();
            int first = next;
            while (next < chunks.size() && next - first < MESSAGES_PER_SEND
                    && (next == first || builder.size() < SEND_LIMIT_BYTES)) {
                int seq = exchange.socket().nextSequence();
                appendAdd(chunks.get(next), seq);
                seqs[next - first] = seq;
                next++;
            }
            NetlinkReply[] acks;
            try {
                acks = exchange.exchangeAcks(builder, seqs, next - first, writeDeadlineNanos);
            } catch (NetlinkException e) {
                for (int i = first; i < next; i++) {
                    Chunk chunk = chunks.get(i);
                    chunk.errors().add(new SetError(chunk.target(), null, SetError.Kind.IO,
                            "writing to " + chunk.target().displayName() + " failed: " + e.getMessage()));
                }
                continue;
            }
            for (int i = first; i < next; i++) {
                settle(chunks.get(i), acks[i - first], again, last);
            }
            stalled = exchange.timedOut();
        }
    }

    /** Records the outcome of one chunk's ack ({@code null}: none in time); queues the elements after a failed one. */
    private void settle(Chunk chunk, NetlinkReply ack, List<Chunk> again, boolean last) {
        if (ack == null) {
            unacknowledged(chunk);
            return;
        }
        int errno = ack.errno();
        if (errno == 0) {
            return;
        }
        List<SetError> errors = chunk.errors();
        int lineno = lineNumber(ack);
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
        } else if (last) { // not reached: the last round sends one element per message
            for (SetElement element : rest) {
                errors.add(new SetError(chunk.target(), element.address(), SetError.Kind.IO, element.address().getHostAddress()
                        + " not added to " + chunk.target().displayName() + ": not sent after an earlier element failed"));
            }
        } else {
            for (SetElement element : rest) { // each on its own, so one failure cannot hide the others
                again.add(new Chunk(chunk.target(), chunk.info(), List.of(element), errors));
            }
        }
    }

    /** The line number ipset wrote into the echoed request of an error, or 0. */
    private static int lineNumber(NetlinkReply ack) {
        byte[] echo = ack.echoedRequest();
        try {
            return echo.length > 20 ? NetlinkAttributes.parse(echo, 20, echo.length).u32(ATTR_LINENO, 0) : 0;
        } catch (NetlinkException e) { // a malformed echo: the error is reported for the whole message
            return 0;
        }
    }

    private void unacknowledged(Chunk chunk) {
        String why = ": the kernel did not acknowledge within " + writeDeadlineNanos / 1_000_000 + " ms";
        for (SetElement element : chunk.elements()) {
            chunk.errors().add(new SetError(chunk.target(), element.address(), SetError.Kind.UNACKNOWLEDGED,
                    element.address().getHostAddress() + " may not be in " + chunk.target().displayName() + why));
        }
    }

    private static void notSent(Chunk chunk) {
        for (SetElement element : chunk.elements()) {
            chunk.errors().add(new SetError(chunk.target(), element.address(), SetError.Kind.IO,
                    element.address().getHostAddress() + " not added to " + chunk.target().displayName()
                            + ": not sent, the kernel did not acknowledge an earlier message of the same write"));
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
