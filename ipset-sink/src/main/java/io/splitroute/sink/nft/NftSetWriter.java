package io.splitroute.sink.nft;

import static io.splitroute.sink.nft.NftProtocol.*;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.BulkSetWriter;
import io.splitroute.sink.NftSetTarget;
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
import java.util.Set;
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
 * one message per element, so one more batch finds every bad element and the good ones still land.
 */
public final class NftSetWriter implements BulkSetWriter {
    /** A nested attribute's length is 16 bits: at most 64 KiB of elements (about 56 bytes each) per message. */
    private static final int MESSAGE_ELEMENT_BYTES = 60_000;
    private static final long SEND_LIMIT_BYTES = 512 * 1024;

    private final NetlinkExchange exchange;
    private final NetlinkMessageBuilder builder = new NetlinkMessageBuilder(256 * 1024);
    private final Map<NftSetTarget, NftSetInfo> known = new ConcurrentHashMap<>();
    private final SetStatsCounter stats = new SetStatsCounter();
    // Scratch of the write methods (which are synchronized), reused so a write allocates little.
    private final SendRounds<Chunk> rounds = new SendRounds<>();
    /** After 8 rounds failures are final (no more splitting), bounding the number of rounds. */
    private final SendRounds.Round<Chunk> sendRound = (chunks, again, round) -> sendRound(chunks, again, round > 8);
    /** The chunks of the batch being sent. */
    private final List<Chunk> batch = new ArrayList<>();
    private int[] seqs = new int[4];
    /** A batch's begin and end sequence numbers: the kernel answers them only when the batch fails. */
    private final int[] guards = new int[2];
    private final List<SetError> errorsScratch = new ArrayList<>();

    private NftSetWriter(NetlinkExchange exchange) {
        this.exchange = exchange;
    }

    /** Opens a netfilter netlink socket in {@code netns} (or the current namespace when {@code null}). */
    public static NftSetWriter open(Path netns) throws SetException {
        try {
            return new NftSetWriter(new NetlinkExchange(NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, netns), 1 << 20));
        } catch (NetlinkException e) {
            throw new SetException(SetError.Kind.IO, "cannot open a netfilter netlink socket: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void probe(SetTarget target) throws SetException {
        NftSetTarget nft = nft(target);
        NftSetInfo info = getSet(nft);
        AddressFamily family = info.family();
        if (family == null) {
            throw new SetException(SetError.Kind.WRONG_FAMILY, target.displayName() + " has key " + info.keyName()
                    + ((info.flags() & (SET_F_MAP | SET_F_CONCAT)) != 0 ? " (a map or concatenation)" : "")
                    + "; splitroute writes sets of type " + NftErrors.keyType(nft.family()));
        }
        if (family != nft.family()) {
            throw new SetException(SetError.Kind.WRONG_FAMILY, target.displayName() + " has key type " + info.keyName()
                    + " but is configured as family " + nft.family().ipsetName() + "; fix the configured family or use: "
                    + NftErrors.createCommand(nft));
        }
        if ((info.flags() & SET_F_CONSTANT) != 0) {
            throw new SetException(SetError.Kind.REJECTED, target.displayName() + " is constant; remove 'constant' from its flags");
        }
        known.put(nft, info);
        stats.recordProbe(nft, -1, info.size() == 0 ? -1 : info.size());
    }

    private NftSetInfo getSet(NftSetTarget target) throws SetException {
        int seq = exchange.socket().nextSequence();
        builder.reset();
        builder.begin(type(MSG_GETSET), NLM_F_REQUEST | NLM_F_ACK, seq);
        builder.nfgen(nfproto(target.tableFamily()), 0);
        builder.putString(SET_TABLE, target.table());
        builder.putString(SET_NAME, target.set());
        builder.end();
        List<NetlinkReply> replies = exchangeOrThrow(target, seq);
        for (NetlinkReply reply : replies) {
            if (reply.type() == type(MSG_NEWSET)) {
                NetlinkAttributes a = reply.nfAttributes();
                return new NftSetInfo((int) a.be32(SET_FLAGS, 0), (int) a.be32(SET_KEY_TYPE, 0),
                        (int) a.be32(SET_KEY_LEN, 0), a.be64(SET_TIMEOUT, 0), a.nested(SET_DESC).be32(SET_DESC_SIZE, 0));
            }
        }
        throw new SetException(SetError.Kind.IO, "getting " + target.displayName() + ": the kernel sent no set");
    }

    private List<NetlinkReply> exchangeOrThrow(NftSetTarget target, int seq) throws SetException {
        List<NetlinkReply> replies;
        try {
            replies = exchange.exchange(builder, seq);
        } catch (NetlinkException e) {
            throw new SetException(SetError.Kind.IO, target.displayName() + ": " + e.getMessage(), e);
        }
        NetlinkReply last = replies.getLast();
        if (last.errno() != 0) {
            SetError error = decodeTargetError(last.errno(), target, last.extAckMessage());
            throw new SetException(error.kind(), error.message());
        }
        return replies;
    }

    /** Decodes a target-level error; for ENOENT asks the kernel whether the table or the set is missing. */
    private SetError decodeTargetError(int errno, NftSetTarget target, String extAck) {
        if (errno == Errno.ENOENT) {
            return tableExists(target) ? NftErrors.missingSet(target) : NftErrors.missingTable(target);
        }
        return NftErrors.of(errno, target, null, known.get(target), extAck);
    }

    private boolean tableExists(NftSetTarget target) {
        int seq = exchange.socket().nextSequence();
        builder.reset();
        builder.begin(type(MSG_GETTABLE), NLM_F_REQUEST | NLM_F_ACK, seq);
        builder.nfgen(nfproto(target.tableFamily()), 0);
        builder.putString(TABLE_NAME, target.table());
        builder.end();
        try {
            return exchange.exchange(builder, seq).getLast().errno() != Errno.ENOENT;
        } catch (NetlinkException e) {
            return true;
        }
    }

    /**
     * Creates the set in its (existing) table: key {@code ipv4_addr}/{@code ipv6_addr}, {@code flags timeout}
     * (plus {@code interval} for {@code hash:net}), the default timeout and {@code size maxElem}.
     */
    @Override
    public synchronized void create(SetSpec spec) throws SetException {
        NftSetTarget target = nft(spec.target());
        int nfproto = nfproto(target.tableFamily());
        builder.reset();
        int begin = exchange.socket().nextSequence();
        beginBatch(begin);
        int seq = exchange.socket().nextSequence();
        builder.begin(type(MSG_NEWSET), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, seq);
        builder.nfgen(nfproto, 0);
        builder.putString(SET_TABLE, target.table());
        builder.putString(SET_NAME, target.set());
        int flags = SET_F_TIMEOUT | ("hash:net".equals(spec.type()) ? SET_F_INTERVAL : 0);
        builder.putBe32(SET_FLAGS, flags);
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
        endBatch(end);
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
        if (ack.errno() != 0) {
            if (ack.errno() == Errno.ENOENT) {
                throw new SetException(SetError.Kind.MISSING_SET, NftErrors.missingTable(target).message());
            }
            throw new SetException(SetError.Kind.REJECTED, "creating " + target.displayName() + " failed: "
                    + Errno.describe(ack.errno()) + (ack.extAckMessage() == null ? "" : " (" + ack.extAckMessage() + ")"));
        }
        known.remove(target);
    }

    /** One set's elements: the same as {@link #write(Map)}, with little allocated per call when all goes well. */
    @Override
    public synchronized List<SetError> write(SetTarget target, List<SetElement> elements) {
        rounds.clear(); // a write cut short by an exception (e.g. in a probe) may have left chunks
        List<SetError> targetErrors = errorsScratch;
        targetErrors.clear();
        if (!elements.isEmpty()) {
            prepare(nft(target), elements, targetErrors, rounds.chunks());
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
                prepare(nft(entry.getKey()), entry.getValue(), targetErrors, rounds.chunks());
            }
        }
        rounds.run(sendRound);
        for (Map.Entry<SetTarget, List<SetElement>> entry : elementsByTarget.entrySet()) {
            stats.recordWrite(entry.getKey(), entry.getValue().size(), errors.get(entry.getKey()));
        }
        return errors;
    }

    private void prepare(NftSetTarget target, List<SetElement> elements, List<SetError> errors, List<Chunk> chunks) {
        NftSetInfo info = known.get(target);
        if (info == null) {
            try {
                probe(target);
                info = known.get(target);
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
     * aborted batch, and failed messages split per element.
     *
     * @param lastResort when set, failures are final (no more splitting), bounding the number of rounds
     */
    private void sendRound(List<Chunk> chunks, List<Chunk> again, boolean lastResort) {
        int next = 0;
        while (next < chunks.size()) {
            builder.reset();
            int begin = exchange.socket().nextSequence();
            beginBatch(begin);
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
            endBatch(end);
            guards[0] = begin;
            guards[1] = end;
            NetlinkReply[] acks;
            try {
                acks = exchange.exchangeAcks(builder, seqs, batch.size(), guards);
            } catch (NetlinkException e) {
                for (int i = 0; i < batch.size(); i++) {
                    Chunk chunk = batch.get(i);
                    chunk.errors().add(new SetError(chunk.target(), null, SetError.Kind.IO,
                            "writing to " + chunk.target().displayName() + " failed: " + e.getMessage()));
                }
                continue;
            }
            settleBatch(acks, exchange.guardError(), again, lastResort);
        }
    }

    /** Records the outcome of the batch in {@link #batch} from its acks ({@code null}: not answered). */
    private void settleBatch(NetlinkReply[] acks, NetlinkReply batchError, List<Chunk> again, boolean lastResort) {
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
                again.add(chunk);
            } else if (NftErrors.wholeTarget(errno)) {
                known.remove(chunk.target());
                chunk.errors().add(decodeTargetError(errno, chunk.target(), ack.extAckMessage()));
            } else if (errno == Errno.EEXIST && chunk.info().interval() && chunk.elements().size() == 1) {
                // A one-address interval clashes only with an interval that already covers the address:
                // it matches already (under that interval's own timeout), so this is not a failure.
                continue;
            } else if (chunk.elements().size() == 1 || lastResort) {
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

    private void beginBatch(int seq) {
        builder.begin(NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, seq);
        builder.nfgen(0, NFNL_SUBSYS_NFTABLES);
        builder.end();
    }

    private void endBatch(int seq) {
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
