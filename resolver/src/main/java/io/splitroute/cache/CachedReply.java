package io.splitroute.cache;

import io.splitroute.query.AnswerAddress;
import io.splitroute.query.PreparedReply;
import io.splitroute.query.Query;
import io.splitroute.query.Replies;
import io.splitroute.query.Source;
import io.splitroute.query.Verdict;
import io.splitroute.query.WireTtls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * An upstream reply prepared for serving many times: normalised (ID 0, no OPT record) and pre-rendered to
 * wire format with the offsets of its TTLs, so that a cache hit is a copy and a few patches. Immutable (a failed
 * refresh is recorded on a copy, {@link #withRefreshFailed}) but for when its use was last recorded for the cache's
 * eviction policy ({@link #useToRecord}). Only the wire form is kept; {@link #message()} parses
 * it for the rare slow paths.
 */
public final class CachedReply implements PreparedReply {
    private static final int OPT_LENGTH = 11;
    private static final int OPT_PAYLOAD = Replies.ADVERTISED_PAYLOAD;
    /**
     * Seconds an answer made here (the NODATA of an {@code aaaa: drop} route) is kept: it has no records
     * whose TTL could decide, and it only changes with the config (a reload drops the route's entries).
     */
    static final long LOCAL_LIFETIME = 3600;

    /** {@link #refreshFailedNanos()} of an entry whose refresh never failed. */
    public static final long NEVER = Long.MIN_VALUE;

    private final byte[] template;
    /** Whether the template holds RRSIG, NSEC or NSEC3 records not asked for (only DO clients may get them). */
    private final boolean dnssecRecords;
    private final List<AnswerAddress> addresses;
    /** Whether {@link #addresses} holds an IPv6 address (decided once, not on every hit). */
    private final boolean hasIpv6;
    private final int rcode;
    private final int[] ttlOffsets;
    private final int questionEnd;
    private final long storedNanos;
    private final long lifetimeSeconds;
    private final Source source;
    private final String upstream;
    private final Verdict verdict;
    /** The heap this reply takes, in bytes ({@link EntryWeigher}); computed once. */
    private final int heapBytes;
    /** When a refresh of this entry last failed, or {@link #NEVER}. */
    private final long refreshFailedNanos;
    /**
     * When its use was last recorded for the eviction policy. Plain: event loops racing on it at worst record one
     * use twice.
     */
    private long recordedNanos;

    private CachedReply(byte[] template, List<AnswerAddress> found, int rcode, long storedNanos, long lifetimeSeconds,
                        Source source, String upstream, Verdict verdict) {
        this.template = template;
        // An immutable copy: 16 bytes for one or two addresses where the extractor's ArrayList takes 80.
        this.addresses = List.copyOf(found);
        this.hasIpv6 = hasIpv6(addresses);
        this.rcode = rcode;
        // The stored TTLs are read back from the template when rendering: no second array per entry.
        this.ttlOffsets = WireTtls.offsets(template);
        this.questionEnd = WireTtls.u16(template, 4) == 0 ? 12 : WireTtls.skipName(template, 12) + 4;
        this.dnssecRecords = hasDnssecRecords(template, ttlOffsets, questionEnd > 12 ? WireTtls.u16(template, questionEnd - 4) : 0);
        this.storedNanos = storedNanos;
        this.lifetimeSeconds = lifetimeSeconds;
        this.source = source;
        this.upstream = upstream;
        this.verdict = verdict;
        this.heapBytes = EntryWeigher.replyBytes(template.length, ttlOffsets.length, addresses);
        this.refreshFailedNanos = NEVER;
        this.recordedNanos = storedNanos; // storing it was a recorded use
    }

    private CachedReply(CachedReply from, long refreshFailedNanos) {
        this.template = from.template;
        this.dnssecRecords = from.dnssecRecords;
        this.addresses = from.addresses;
        this.hasIpv6 = from.hasIpv6;
        this.rcode = from.rcode;
        this.ttlOffsets = from.ttlOffsets;
        this.questionEnd = from.questionEnd;
        this.storedNanos = from.storedNanos;
        this.lifetimeSeconds = from.lifetimeSeconds;
        this.source = from.source;
        this.upstream = from.upstream;
        this.verdict = from.verdict;
        this.heapBytes = from.heapBytes;
        this.refreshFailedNanos = refreshFailedNanos;
        this.recordedNanos = from.recordedNanos;
    }

    /**
     * Prepares an upstream reply for caching.
     *
     * @param reply    the validated upstream reply (not modified)
     * @param source   how it was obtained ({@link Source#UPSTREAM} or {@link Source#FAILED})
     * @param upstream the upstream group that answered, or {@code null}
     * @param minTtl   lowest cache lifetime in seconds
     * @param maxTtl   highest cache lifetime in seconds
     * @param addresses extracts the answer's addresses (every one, IPv6 included), once per entry
     * @param nowNanos the time it is stored, a {@link io.splitroute.query.Ticker} reading
     */
    public static CachedReply of(Message reply, Source source, String upstream, long minTtl, long maxTtl,
                                 Function<Message, List<AnswerAddress>> addresses, long nowNanos) {
        return of(reply, source, upstream, minTtl, maxTtl, addresses, nowNanos, null);
    }

    /**
     * Prepares an upstream reply for caching with the verdict it was chosen by (a name on no list), which every
     * hit then carries in its provenance.
     *
     * @param verdict the verdict, or {@code null}
     * @see #of(Message, Source, String, long, long, Function, long)
     */
    public static CachedReply of(Message reply, Source source, String upstream, long minTtl, long maxTtl,
                                 Function<Message, List<AnswerAddress>> addresses, long nowNanos, Verdict verdict) {
        Message normal = normalise(reply);
        long lifetime = source == Source.LOCAL ? LOCAL_LIFETIME : lifetime(normal);
        if (lifetime > 0) {
            lifetime = Math.clamp(lifetime, minTtl, maxTtl);
        }
        // Only the wire form is kept (a parsed message costs several times its size on the heap); the
        // addresses set writes need on every hit are extracted once.
        return new CachedReply(normal.toWire(), addresses.apply(normal), normal.getRcode(), nowNanos, lifetime,
                source, upstream, verdict);
    }

    /**
     * Rebuilds an entry read back from a cache file.
     *
     * @param wire            the stored wire form, as {@link #wire()} gave it
     * @param lifetimeSeconds its lifetime as stored
     * @param storedNanos     when it was stored, on this process's {@link io.splitroute.query.Ticker} (may be
     *                        before the process started)
     * @param verdict         the verdict it was chosen by, as stored, or {@code null}
     * @throws IOException when {@code wire} is not a DNS message
     */
    static CachedReply restore(byte[] wire, Source source, String upstream, long lifetimeSeconds, long storedNanos,
                               Function<Message, List<AnswerAddress>> addresses, Verdict verdict) throws IOException {
        Message message = new Message(wire);
        try {
            return new CachedReply(wire, addresses.apply(message), message.getRcode(), storedNanos, lifetimeSeconds,
                    source, upstream, verdict);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed message: " + e.getMessage(), e);
        }
    }

    /** Returns this entry marked as having failed to refresh at {@code nowNanos} (the wire form is shared). */
    public CachedReply withRefreshFailed(long nowNanos) {
        return new CachedReply(this, nowNanos);
    }

    /** Returns when a refresh of this entry last failed ({@link io.splitroute.query.Ticker} time), or {@link #NEVER}. */
    public long refreshFailedNanos() {
        return refreshFailedNanos;
    }

    /**
     * Returns whether a use of it at {@code nowNanos} is to be recorded for the eviction policy: when none was
     * for {@code everyNanos}; the use is then taken as recorded.
     */
    boolean useToRecord(long nowNanos, long everyNanos) {
        if (nowNanos - recordedNanos < everyNanos) {
            return false;
        }
        recordedNanos = nowNanos;
        return true;
    }

    /** Returns when it was stored ({@link io.splitroute.query.Ticker} time). */
    public long storedNanos() {
        return storedNanos;
    }

    /** Returns whether it is within its lifetime at {@code nowNanos}. */
    public boolean isFresh(long nowNanos) {
        return nowNanos - storedNanos < lifetimeSeconds * 1_000_000_000L;
    }

    /** Returns whether {@code nowNanos} falls in the last tenth of its lifetime (the time to prefetch it). */
    public boolean inLastTenth(long nowNanos) {
        return (nowNanos - storedNanos) * 10 >= lifetimeSeconds * 9_000_000_000L;
    }

    /** Returns whether it is a negative answer: NXDOMAIN, or NOERROR with an empty answer section (NODATA). */
    public boolean negative() {
        return rcode == Rcode.NXDOMAIN || rcode == Rcode.NOERROR && WireTtls.u16(template, 6) == 0;
    }

    /** Returns the heap it takes, in bytes, without the key and the cache's own node ({@link EntryWeigher}). */
    public int heapBytes() {
        return heapBytes;
    }

    /** Returns the stored wire form (ID 0, no OPT, TTLs as stored); not a copy: never modify it. */
    byte[] wire() {
        return template;
    }

    @Override
    public Message message() {
        try {
            return new Message(template);
        } catch (IOException e) {
            throw new UncheckedIOException("a cached reply no longer parses", e);
        }
    }

    @Override
    public List<AnswerAddress> addresses(boolean withIpv6) {
        if (withIpv6 || !hasIpv6) {
            return addresses; // the usual A answer: no copy
        }
        return addresses.stream().filter(f -> f.address() instanceof java.net.Inet4Address).toList();
    }

    private static boolean hasIpv6(List<AnswerAddress> found) {
        for (int i = 0; i < found.size(); i++) {
            if (found.get(i).address() instanceof java.net.Inet6Address) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long lifetimeSeconds() {
        return lifetimeSeconds;
    }

    @Override
    public Source source() {
        return source;
    }

    @Override
    public String upstream() {
        return upstream;
    }

    @Override
    public Verdict verdict() {
        return verdict;
    }

    @Override
    public long ageSeconds(long nowNanos) {
        return Math.max(0, (nowNanos - storedNanos) / 1_000_000_000L);
    }

    @Override
    public int rcode() {
        return rcode;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The header flags are those of {@link Replies#headerFlags} (AA is never kept: the template is an
     * upstream's answer, or a local one that is no authority's). Also returns {@code null} when the template
     * holds DNSSEC records and the client did not set DO, so the caller filters them from {@link #message()}.
     */
    @Override
    public byte[] render(Query query, long ageSeconds) {
        return render(query, ageSeconds, -1);
    }

    /**
     * Renders this reply for {@code query} as {@link #render} does, every TTL set to {@code ttl} (a stale answer's,
     * RFC 8767), or counted down by {@code ageSeconds} when {@code ttl} is negative.
     */
    byte[] render(Query query, long ageSeconds, long ttl) {
        boolean edns = query.fields().edns();
        int length = template.length + (edns ? OPT_LENGTH : 0);
        if (length > query.maxReplySize() || (dnssecRecords && !query.dnssecOk())) {
            return null;
        }
        byte[] out = java.util.Arrays.copyOf(template, length);
        int id = query.fields().id();
        out[0] = (byte) (id >>> 8);
        out[1] = (byte) id;
        int flags = Replies.headerFlags(WireTtls.u16(template, 2), query.fields(), false);
        out[2] = (byte) (flags >>> 8);
        out[3] = (byte) flags;
        copyQuestionSpelling(query, out);
        for (int i = 0; i < ttlOffsets.length; i++) {
            WireTtls.putU32(out, ttlOffsets[i],
                    ttl >= 0 ? ttl : Math.max(0, WireTtls.u32(template, ttlOffsets[i]) - ageSeconds));
        }
        if (edns) {
            appendOpt(out, template.length, query.dnssecOk());
        }
        return out;
    }

    /** Whether a record at one of {@code ttlOffsets} is an RRSIG, NSEC or NSEC3 the question did not ask for. */
    private static boolean hasDnssecRecords(byte[] template, int[] ttlOffsets, int qtype) {
        for (int offset : ttlOffsets) {
            int type = WireTtls.u16(template, offset - 4);
            if ((type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3) && type != qtype) {
                return true;
            }
        }
        return false;
    }

    /** Returns a copy of the stored wire form with every TTL set to {@code ttl}. */
    byte[] wireWithTtl(long ttl) {
        byte[] out = template.clone();
        for (int offset : ttlOffsets) {
            WireTtls.putU32(out, offset, ttl);
        }
        return out;
    }

    /** Copies the client's question as it spelled it (mixed case, e.g. 0x20 randomisation) over the cached one. */
    private void copyQuestionSpelling(Query query, byte[] out) {
        if (questionEnd > 12 && query.fields().questionEnd() == questionEnd) {
            System.arraycopy(query.wire(), 12, out, 12, questionEnd - 12);
        }
    }

    /** Writes an OPT record (root name, type, payload size, DO flag, no options) at {@code at}; bumps ARCOUNT. */
    private static void appendOpt(byte[] out, int at, boolean dnssecOk) {
        out[at] = 0;
        out[at + 1] = (byte) (Type.OPT >>> 8);
        out[at + 2] = (byte) Type.OPT;
        out[at + 3] = (byte) (OPT_PAYLOAD >>> 8);
        out[at + 4] = (byte) OPT_PAYLOAD;
        out[at + 7] = (byte) (dnssecOk ? 0x80 : 0);
        int arcount = WireTtls.u16(out, 10) + 1;
        out[10] = (byte) (arcount >>> 8);
        out[11] = (byte) arcount;
    }

    /**
     * A copy of {@code reply} with ID 0, RA set, AA clear and no OPT record; an extended rcode (which only an
     * OPT record can carry, and which splitroute's own OPT does not pass on) becomes SERVFAIL. {@code clone()}
     * copies the header and the section lists and shares the records (immutable): a render and a parse less
     * per miss than a wire copy.
     */
    private static Message normalise(Message reply) {
        Message copy = reply.clone();
        Header header = copy.getHeader();
        header.setID(0);
        if (reply.getRcode() > 0x0f) {
            header.setRcode(Rcode.SERVFAIL);
        }
        for (OPTRecord opt = copy.getOPT(); opt != null; opt = copy.getOPT()) {
            copy.removeRecord(opt, Section.ADDITIONAL);
        }
        header.setFlag(Flags.RA);
        header.unsetFlag(Flags.AA);
        return copy;
    }

    /** The cache lifetime before clamping: RFC 2308 for negative answers, the smallest answer TTL otherwise. */
    private static long lifetime(Message reply) {
        if (reply.getHeader().getFlag(Flags.TC)) {
            return 0;
        }
        int rcode = reply.getRcode();
        boolean hasAnswer = !reply.getSection(Section.ANSWER).isEmpty();
        if (rcode == Rcode.NOERROR && hasAnswer) {
            long min = Long.MAX_VALUE;
            for (Record r : reply.getSection(Section.ANSWER)) {
                min = Math.min(min, r.getTTL());
            }
            return min;
        }
        if (rcode == Rcode.NXDOMAIN || rcode == Rcode.NOERROR) {
            for (Record r : reply.getSection(Section.AUTHORITY)) {
                if (r instanceof SOARecord soa) {
                    return Math.min(soa.getTTL(), soa.getMinimum());
                }
            }
        }
        return 0;
    }
}
