package io.splitroute.sink.nft;

import static io.splitroute.sink.nft.NftProtocol.*;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.BulkSetWriter;
import io.splitroute.sink.NftSetTarget;
import io.splitroute.sink.SetElement;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetInspection;
import io.splitroute.sink.SetWriter;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.SetStatsCounter;
import io.splitroute.sink.SendRounds;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.TargetStats;
import io.splitroute.sink.netlink.Errno;
import io.splitroute.sink.netlink.NetlinkChannel;
import io.splitroute.sink.netlink.NetlinkException;
import io.splitroute.sink.netlink.NetlinkExchange;
import io.splitroute.sink.netlink.NetlinkMessageBuilder;
import io.splitroute.sink.netlink.NetlinkReply;
import io.splitroute.sink.netlink.NetlinkSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes nftables sets over nfnetlink: every target's elements go into {@code NFT_MSG_NEWSETELEM}
 * messages inside one batch ({@code NFNL_MSG_BATCH_BEGIN} ... {@code END}), one {@code send} per batch.
 *
 * <p>Timeouts: each element carries {@code NFTA_SET_ELEM_TIMEOUT} and {@code NFTA_SET_ELEM_EXPIRATION}
 * (both the element's timeout). Re-adding an existing element without {@code NLM_F_EXCL} updates it since
 * Linux 6.10 ("set element timeout update support"), but only the expiration restarts the clock when the
 * timeout value is unchanged; hence both attributes.
 *
 * <p>Interval sets get {@code [addr, addr+1)} per address; an address already inside a larger interval
 * (the kernel answers EEXIST) counts as written, since the set matches it already.
 *
 * <p>One bad element aborts the whole batch (nothing is committed, the other messages are acked with 0
 * but rolled back). The writer then sends the good messages again and splits each failed message into
 * one message per element, so a second batch finds every bad element (a full set refuses each new one),
 * and a third, the last, commits the good ones. A write therefore takes at most three rounds whatever
 * fails; a round is one batch per 512 KiB.
 */
public final class NftSetWriter implements BulkSetWriter {
    /** A nested attribute's length is 16 bits: at most 64 KiB of elements (about 56 bytes each) per message. */
    private static final int MESSAGE_ELEMENT_BYTES = 60_000;
    private static final long SEND_LIMIT_BYTES = 512 * 1024;

    /** Send as is; split what failed and resend the rest; resend what was rolled back. */
    private static final int MAX_ROUNDS = 3;

    private final NetlinkExchange exchange;
    private final NftControl control;
    private final NetlinkMessageBuilder builder = new NetlinkMessageBuilder(256 * 1024);
    private final Map<NftSetTarget, NftSetInfo> known = new ConcurrentHashMap<>();
    private final SetStatsCounter stats = new SetStatsCounter();
    private volatile long writeDeadlineNanos = SetWriter.DEFAULT_WRITE_DEADLINE.toNanos();
    // Scratch of the write methods (which are synchronized), reused so a write allocates little.
    private final SendRounds<Chunk> rounds = new SendRounds<>();
    private final SendRounds.Round<Chunk> sendRound = (chunks, again, round, last) -> sendRound(chunks, again, last);
    /** Set when a batch of the current write went unacknowledged: nothing more is sent in that write. */
    private boolean stalled;
    /** The chunks of the batch being sent. */
    private final List<Chunk> batch = new ArrayList<>();
    private int[] seqs = new int[4];
    /** A batch's begin and end sequence numbers: the kernel answers them only when the batch fails. */
    private final int[] guards = new int[2];
    private final List<SetError> errorsScratch = new ArrayList<>();

    private NftSetWriter(NetlinkExchange exchange) {
        this.exchange = exchange;
        this.control = new NftControl(exchange);
    }

    /** Opens a netfilter netlink socket in {@code netns} (or the current namespace when {@code null}). */
    public static NftSetWriter open(Path netns) throws SetException {
        try {
            return over(NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, netns));
        } catch (NetlinkException e) {
            throw new SetException(SetError.Kind.IO, "cannot open a netfilter netlink socket: " + e.getMessage(), e);
        }
    }

    /** A writer over {@code channel} (a netfilter socket; in tests, a double around one), which it owns. */
    static NftSetWriter over(NetlinkChannel channel) {
        return new NftSetWriter(new NetlinkExchange(channel, 1 << 20));
    }

    @Override
    public void writeDeadline(Duration deadline) {
        writeDeadlineNanos = deadline.toNanos();
    }

    /** Round trips to the kernel so far (batches sent, each with its acks): for tests of how many a write takes. */
    synchronized long roundTrips() {
        return exchange.sends();
    }

    @Override
    public synchronized void probe(SetTarget target) throws SetException {
        check(nft(target), NetlinkExchange.CONTROL_TIMEOUT_NANOS);
    }

    /** Gets {@code target} and checks splitroute can write it; remembers what it learnt. */
    private NftSetInfo check(NftSetTarget target, long timeoutNanos) throws SetException {
        NftSetInfo info = control.getSet(target, timeoutNanos);
        String problem = problem(target, info);
        if (problem != null) {
            throw new SetException((info.flags() & SET_F_CONSTANT) != 0 && info.family() == target.family()
                    ? SetError.Kind.REJECTED : SetError.Kind.WRONG_FAMILY, problem);
        }
        known.put(target, info);
        stats.recordProbe(target, -1, info.size() == 0 ? -1 : info.size());
        return info;
    }

    /** Why splitroute cannot write {@code target} as it is, or {@code null} if it can. */
    private static String problem(NftSetTarget target, NftSetInfo info) {
        AddressFamily family = info.family();
        if (family == null) {
            return target.displayName() + " has key " + info.keyName()
                    + ((info.flags() & (SET_F_MAP | SET_F_CONCAT)) != 0 ? " (a map or concatenation)" : "")
                    + "; splitroute writes sets of type " + NftErrors.keyType(target.family());
        }
        if (family != target.family()) {
            return target.displayName() + " has key type " + info.keyName() + " but is configured as family "
                    + target.family().ipsetName() + "; fix the configured family or use: " + NftErrors.createCommand(target);
        }
        if ((info.flags() & SET_F_CONSTANT) != 0) {
            return target.displayName() + " is constant; remove 'constant' from its flags";
        }
        return null;
    }

    /** Creates the set (see {@link NftControl#create}); its table must exist. */
    @Override
    public synchronized void create(SetSpec spec) throws SetException {
        NftSetTarget target = nft(spec.target());
        control.create(target, spec);
        known.remove(target);
    }

    /** Gets {@code target} and looks each of {@code addresses} up in it ({@code NFT_MSG_GETSETELEM}). */
    @Override
    public synchronized SetInspection inspect(SetTarget target, Collection<InetAddress> addresses) throws SetException {
        NftSetTarget nft = nft(target);
        NftSetInfo info;
        try {
            info = control.getSet(nft, NetlinkExchange.CONTROL_TIMEOUT_NANOS);
        } catch (SetException e) {
            if (e.kind() == SetError.Kind.MISSING_SET) {
                return SetInspection.missing(target, e.getMessage());
            }
            throw e;
        }
        long size = info.size() == 0 ? -1 : info.size();
        stats.recordProbe(nft, -1, size);
        Map<InetAddress, Boolean> members = info.family() == null ? Map.of() : control.members(nft, info.family(), addresses);
        return new SetInspection(target, true, info.family(), info.keyName(), info.interval(), info.timeoutSupport(),
                -1, size, problem(nft, info), members);
    }

    /** One set's elements: the same as {@link #write(Map)}, with little allocated per call when all goes well. */
    @Override
    public synchronized List<SetError> write(SetTarget target, List<SetElement> elements) {
        rounds.clear(); // a write cut short by an exception (e.g. in a probe) may have left chunks
        stalled = false;
        List<SetError> targetErrors = errorsScratch;
        targetErrors.clear();
        if (!elements.isEmpty()) {
            prepare(nft(target), elements, targetErrors, rounds.chunks());
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
                prepare(nft(entry.getKey()), entry.getValue(), targetErrors, rounds.chunks());
            }
        }
        rounds.run(sendRound, MAX_ROUNDS);
        for (Map.Entry<SetTarget, List<SetElement>> entry : elementsByTarget.entrySet()) {
            stats.recordWrite(entry.getKey(), entry.getValue().size(), errors.get(entry.getKey()));
        }
        return errors;
    }

    private void prepare(NftSetTarget target, List<SetElement> elements, List<SetError> errors, List<Chunk> chunks) {
        NftSetInfo info = known.get(target);
        if (info == null) {
            try {
                info = check(target, writeDeadlineNanos); // on the write path: within the write's deadline
            } catch (SetException e) {
                errors.add(new SetError(target, null, e.kind(), e.getMessage()));
                return;
            }
        }
        List<SetElement> valid = SetElement.allOf(elements, target.family()) ? elements
                : SetElement.ofFamily( // rare: copy the ones that fit
                        elements, target.family(), address -> errors.add(NftErrors.elementFamily(target, address)));
        int perMessage = MESSAGE_ELEMENT_BYTES / (info.interval() ? 2 * 56 : 56);
        if (valid.size() <= perMessage) {
            if (!valid.isEmpty()) {
                chunks.add(new Chunk(target, info, valid, errors));
            }
            return;
        }
        for (int from = 0; from < valid.size(); from += perMessage) {
            chunks.add(new Chunk(target, info, valid.subList(from, Math.min(valid.size(), from + perMessage)), errors));
        }
    }

    /**
     * Sends the chunks in batches; adds to {@code again} what must be sent again: the good messages of an
     * aborted batch, and failed messages split per element. Once a batch goes unacknowledged within the
     * write deadline, the rest are not sent.
     *
     * @param last when set, every outcome is final: nothing is split or sent again
     */
    private void sendRound(List<Chunk> chunks, List<Chunk> again, boolean last) {
        int next = 0;
        while (next < chunks.size()) {
            if (stalled) {
                for (int i = next; i < chunks.size(); i++) {
                    fail(chunks.get(i), SetError.Kind.IO, "not sent, the kernel did not acknowledge an earlier batch of the same write");
                }
                return;
            }
            builder.reset();
            int begin = exchange.socket().nextSequence();
            beginBatch(builder, begin);
            batch.clear();
            while (next < chunks.size() && (batch.isEmpty() || builder.size() < SEND_LIMIT_BYTES)) {
                Chunk chunk = chunks.get(next++);
                int seq = exchange.socket().nextSequence();
                appendElements(chunk, seq);
                if (seqs.length == batch.size()) {
                    seqs = java.util.Arrays.copyOf(seqs, 2 * seqs.length);
                }
                seqs[batch.size()] = seq;
                batch.add(chunk);
            }
            int end = exchange.socket().nextSequence();
            endBatch(builder, end);
            guards[0] = begin;
            guards[1] = end;
            NetlinkReply[] acks;
            try {
                acks = exchange.exchangeAcks(builder, seqs, batch.size(), guards, writeDeadlineNanos);
            } catch (NetlinkException e) {
                for (int i = 0; i < batch.size(); i++) {
                    Chunk chunk = batch.get(i);
                    chunk.errors().add(new SetError(chunk.target(), null, SetError.Kind.IO,
                            "writing to " + chunk.target().displayName() + " failed: " + e.getMessage()));
                }
                continue;
            }
            if (exchange.timedOut()) {
                stalled = true;
                for (int i = 0; i < batch.size(); i++) {
                    fail(batch.get(i), SetError.Kind.UNACKNOWLEDGED, "the kernel did not acknowledge its batch within "
                            + writeDeadlineNanos / 1_000_000 + " ms");
                }
                continue;
            }
            settleBatch(acks, exchange.guardError(), again, last);
        }
    }

    /** Records the outcome of the batch in {@link #batch} from its acks ({@code null}: not answered). */
    private void settleBatch(NetlinkReply[] acks, NetlinkReply batchError, List<Chunk> again, boolean last) {
        boolean anyFailed = false;
        boolean allAnswered = true;
        for (int i = 0; i < batch.size(); i++) {
            allAnswered &= acks[i] != null;
            anyFailed |= acks[i] != null && acks[i].errno() != 0;
        }
        int batchErrno = batchError == null ? 0 : batchError.errno();
        if (!anyFailed && batchErrno == 0) {
            return;
        }
        if (!anyFailed || !allAnswered) {
            // The batch as a whole failed (EPERM before any message, or a commit error): report it on every chunk.
            for (int i = 0; i < batch.size(); i++) {
                Chunk chunk = batch.get(i);
                chunk.errors().add(NftErrors.of(batchErrno, chunk.target(), null, chunk.info(), null));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Chunk chunk = batch.get(i);
            NetlinkReply ack = acks[i];
            int errno = ack.errno();
            if (errno == 0) {
                if (last) {
                    fail(chunk, SetError.Kind.REJECTED, "rolled back: other elements of its batch kept failing");
                } else {
                    again.add(chunk);
                }
            } else if (NftErrors.wholeTarget(errno)) {
                known.remove(chunk.target());
                chunk.errors().add(control.targetError(errno, chunk.target(), chunk.info(), ack.extAckMessage(),
                        writeDeadlineNanos));
            } else if (errno == Errno.EEXIST && chunk.info().interval() && chunk.elements().size() == 1) {
                // A one-address interval clashes only with an interval that already covers the address:
                // it matches already (under that interval's own timeout), so this is not a failure.
                continue;
            } else if (chunk.elements().size() == 1 || last) {
                for (SetElement element : chunk.elements()) {
                    chunk.errors().add(NftErrors.of(errno, chunk.target(), element.address(), chunk.info(),
                            ack.extAckMessage()));
                }
            } else {
                for (SetElement element : chunk.elements()) {
                    again.add(new Chunk(chunk.target(), chunk.info(), List.of(element), chunk.errors()));
                }
            }
        }
    }

    /** Reports every element of {@code chunk} as not written, of {@code kind}, because of {@code why}. */
    private static void fail(Chunk chunk, SetError.Kind kind, String why) {
        for (SetElement element : chunk.elements()) {
            chunk.errors().add(new SetError(chunk.target(), element.address(), kind, element.address().getHostAddress()
                    + " not added to " + chunk.target().displayName() + ": " + why));
        }
    }

    /** Opens an nftables batch in {@code builder}. */
    static void beginBatch(NetlinkMessageBuilder builder, int seq) {
        builder.begin(NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, seq);
        builder.nfgen(0, NFNL_SUBSYS_NFTABLES);
        builder.end();
    }

    /** Closes an nftables batch in {@code builder}. */
    static void endBatch(NetlinkMessageBuilder builder, int seq) {
        builder.begin(NFNL_MSG_BATCH_END, NLM_F_REQUEST, seq);
        builder.nfgen(0, NFNL_SUBSYS_NFTABLES);
        builder.end();
    }

    private void appendElements(Chunk chunk, int seq) {
        NftSetTarget target = chunk.target();
        builder.begin(type(MSG_NEWSETELEM), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, seq);
        builder.nfgen(nfproto(target.tableFamily()), 0);
        builder.putString(ELEM_LIST_TABLE, target.table());
        builder.putString(ELEM_LIST_SET, target.set());
        long list = builder.beginNested(ELEM_LIST_ELEMENTS);
        long defaultTimeout = chunk.info().timeoutSupport() ? chunk.info().defaultTimeoutMillis() : 0;
        List<SetElement> elements = chunk.elements();
        for (int i = 0; i < elements.size(); i++) {
            SetElement element = elements.get(i);
            byte[] key = element.address().getAddress();
            long timeout = element.timeout().isZero() ? defaultTimeout : Math.max(1, element.timeout().toMillis());
            appendElement(key, 0, timeout);
            if (chunk.info().interval()) {
                byte[] end = successor(key);
                if (end != null) {
                    // The kernel refuses a timeout on the closing element of an interval (EINVAL).
                    appendElement(end, ELEM_INTERVAL_END, 0);
                }
            }
        }
        builder.endNested(list);
        builder.end();
    }

    private void appendElement(byte[] key, int flags, long timeoutMillis) {
        long elem = builder.beginNested(LIST_ELEM);
        long keyNest = builder.beginNested(ELEM_KEY);
        builder.putBytes(DATA_VALUE, key);
        builder.endNested(keyNest);
        if (flags != 0) {
            builder.putBe32(ELEM_FLAGS, flags);
        }
        if (timeoutMillis > 0) {
            builder.putBe64(ELEM_TIMEOUT, timeoutMillis);
            builder.putBe64(ELEM_EXPIRATION, timeoutMillis);
        }
        builder.endNested(elem);
    }

    /** Returns {@code key + 1} (the exclusive end of a one-address interval), or null at the top of the space. */
    private static byte[] successor(byte[] key) {
        byte[] next = key.clone();
        for (int i = next.length - 1; i >= 0; i--) {
            if (++next[i] != 0) {
                return next;
            }
        }
        return null;
    }

    private static NftSetTarget nft(SetTarget target) {
        if (target instanceof NftSetTarget nft) {
            return nft;
        }
        throw new IllegalArgumentException("NftSetWriter writes nftables sets, not " + target.displayName());
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

    /** Elements of one target that go into one NEWSETELEM message, and where that target's errors go. */
    private record Chunk(NftSetTarget target, NftSetInfo info, List<SetElement> elements, List<SetError> errors) {}
}
