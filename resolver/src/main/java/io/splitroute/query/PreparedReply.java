package io.splitroute.query;

import java.util.List;
import org.xbill.DNS.Message;

/**
 * A reply prepared for serving many times (the cache's entries): normalised, kept in wire form, with the
 * addresses of its answer extracted once, so a cache hit neither parses nor renders a message.
 */
public interface PreparedReply {

    /** Returns the normalised reply (ID 0, no OPT, TTLs as stored), parsed anew on each call: for slow paths. */
    Message message();

    /** Returns the rcode. */
    int rcode();

    /** Returns how the reply was first obtained. */
    Source source();

    /** Returns the upstream group that answered, or {@code null}. */
    String upstream();

    /**
     * Returns the verdict the reply was chosen by (a name on no list), or {@code null}. No default: a reply served
     * as domestic that forgot its verdict would be written to the sets.
     */
    Verdict verdict();

    /** Returns how long this reply may be served in all, in seconds; 0 means never stored. */
    long lifetimeSeconds();

    /** Returns the reply's age in whole seconds at {@code nowNanos} (a {@link Ticker} reading). */
    long ageSeconds(long nowNanos);

    /** Returns the addresses of the answer with their stored TTLs; IPv6 ones only when {@code withIpv6}. */
    List<AnswerAddress> addresses(boolean withIpv6);

    /**
     * Renders this reply for {@code query}: the client's ID, question spelling and RD flag, an OPT record if the
     * client sent one, TTLs counted down by {@code ageSeconds}. Returns {@code null} when the result would not
     * fit the client's buffer, so the caller truncates from {@link #message()} instead.
     */
    byte[] render(Query query, long ageSeconds);
}
