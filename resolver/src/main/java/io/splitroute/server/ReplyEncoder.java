package io.splitroute.server;

import io.splitroute.query.PreparedReply;
import io.splitroute.query.Query;
import io.splitroute.query.Replies;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Ticker;
import io.splitroute.query.WireTtls;
import java.util.List;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The one place that turns a {@link Resolution} into the bytes sent to the client: the client's ID and
 * question spelling, the header flags of {@link Replies#headerFlags}, TTLs counted down for cached replies,
 * DNSSEC records only for a client that set DO, an OPT record (splitroute's own: version 0, its UDP size, DO
 * echoed, no options) exactly when the query had one, and a UDP reply cut to {@link Query#maxReplySize()}
 * (never over 1232 bytes) with TC set when it does not fit.
 *
 * <p>A cached reply, and a fresh one (the cache prepares it), is rendered from its wire template without
 * parsing; only a reply that must be cut or filtered takes the slow path through dnsjava.
 */
public final class ReplyEncoder {
    private final Ticker ticker;

    /** @param ticker the clock a cached reply's age is read with */
    public ReplyEncoder(Ticker ticker) {
        this.ticker = ticker;
    }

    /** Renders the reply for {@code query}. */
    public byte[] encode(Query query, Resolution resolution) {
        PreparedReply cached = resolution.cached();
        if (cached != null) {
            long age = cached.ageSeconds(ticker.nanos());
            byte[] fast = cached.render(query, age);
            if (fast != null) {
                return fast;
            }
            byte[] wire = render(cached.message(), query, true, false);
            WireTtls.subtract(wire, age);
            return wire;
        }
        Source source = resolution.source();
        return render(resolution.reply(), query, source == Source.UPSTREAM, source == Source.LOCAL);
    }

    /**
     * Renders {@code reply} for the client of {@code query}.
     *
     * @param fromUpstream whether the reply came from an upstream (its question is replaced by the client's)
     * @param authority    whether splitroute answers as the authority (AA may stay)
     */
    private static byte[] render(Message reply, Query query, boolean fromUpstream, boolean authority) {
        Message copy = reply.clone();
        int rcode = reply.getRcode();
        copy.getHeader().setID(query.fields().id());
        copy.getHeader().setRcode(rcode & 0x0f);
        for (OPTRecord opt = copy.getOPT(); opt != null; opt = copy.getOPT()) {
            copy.removeRecord(opt, Section.ADDITIONAL);
        }
        if (fromUpstream && copy.getQuestion() != null) {
            copy.removeAllRecords(Section.QUESTION);
            copy.addRecord(query.question(), Section.QUESTION);
        }
        if (!query.dnssecOk()) {
            withoutDnssecRecords(copy, query.qtype());
        }
        if (query.fields().edns()) {
            int flags = query.dnssecOk() ? ExtendedFlags.DO : 0;
            copy.addRecord(new OPTRecord(Replies.ADVERTISED_PAYLOAD, rcode >>> 4, 0, flags), Section.ADDITIONAL);
        }
        byte[] wire = copy.toWire(query.maxReplySize());
        int flags = Replies.headerFlags(((wire[2] & 0xff) << 8) | (wire[3] & 0xff), query.fields(), authority);
        wire[2] = (byte) (flags >>> 8);
        wire[3] = (byte) flags;
        return wire;
    }

    /**
     * Removes RRSIG, NSEC and NSEC3 records, which a client that did not set DO must not get (RFC 4035
     * 3.2.1), unless it asked for that type.
     */
    private static void withoutDnssecRecords(Message message, int qtype) {
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : List.copyOf(message.getSection(section))) {
                if (isDnssec(r.getType()) && r.getType() != qtype) {
                    message.removeRecord(r, section);
                }
            }
        }
    }

    private static boolean isDnssec(int type) {
        return type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3;
    }
}
