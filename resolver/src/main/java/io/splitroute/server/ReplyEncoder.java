package io.splitroute.server;

import io.splitroute.query.PreparedReply;
import io.splitroute.query.Query;
import io.splitroute.query.Replies;
import io.splitroute.query.Resolution;
import io.splitroute.query.Ticker;
import io.splitroute.query.WireTtls;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;

/**
 * The one place that turns a {@link Resolution} into the bytes sent to the client: the client's ID and
 * question spelling, TTLs counted down for cached replies, an OPT record only for EDNS clients, and a UDP
 * reply cut to the client's buffer with TC=1 when it does not fit.
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
            byte[] wire = forClient(cached.message(), query).toWire(query.maxReplySize());
            WireTtls.subtract(wire, age);
            return wire;
        }
        return forClient(resolution.reply(), query).toWire(query.maxReplySize());
    }

    private static Message forClient(Message reply, Query query) {
        Message copy = reply.clone();
        copy.getHeader().setID(query.fields().id());
        if (query.fields().recursionDesired()) {
            copy.getHeader().setFlag(Flags.RD);
        } else {
            copy.getHeader().unsetFlag(Flags.RD);
        }
        OPTRecord existing = copy.getOPT();
        if (existing != null) {
            copy.removeRecord(existing, Section.ADDITIONAL);
        }
        if (query.fields().edns()) {
            int flags = query.dnssecOk() ? org.xbill.DNS.ExtendedFlags.DO : 0;
            copy.addRecord(new OPTRecord(Replies.ADVERTISED_PAYLOAD, 0, 0, flags), Section.ADDITIONAL);
        }
        return copy;
    }
}
