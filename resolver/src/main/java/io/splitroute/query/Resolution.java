package io.splitroute.query;

import java.util.Objects;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The outcome of a query: the reply message and its provenance (source, route, upstream), and what the set
 * stage wrote for it. Every reply carries this, so metrics, logs and set writes never re-derive it.
 *
 * @param reply    the reply message; its ID and question are set by the reply encoder
 * @param source   where the reply came from
 * @param route    the routing decision, or {@code null} when the query never reached the router
 * @param upstream the upstream group that answered, or {@code null}
 * @param cached   the prepared reply when it came from (or went into) the cache, else {@code null};
 *                 when set, {@code reply} is its read-only message
 * @param written  what the set stage wrote for this reply, or {@code null} when it wrote nothing
 * @param verdict  for a name on no list, why it was answered from the side it was; {@code null} otherwise
 */
public record Resolution(Message reply, Source source, Route route, String upstream, PreparedReply cached,
                         SetWrite written, Verdict verdict) {

    /** Checks the arguments: a reply, or a prepared one to parse it from. */
    public Resolution {
        if (reply == null && cached == null) {
            throw new NullPointerException("reply");
        }
        Objects.requireNonNull(source, "source");
    }

    /** A resolution before any set write. */
    public Resolution(Message reply, Source source, Route route, String upstream, PreparedReply cached) {
        this(reply, source, route, upstream, cached, null, null);
    }

    /** A resolution with the record of its set writes and no verdict. */
    public Resolution(Message reply, Source source, Route route, String upstream, PreparedReply cached,
                      SetWrite written) {
        this(reply, source, route, upstream, cached, written, null);
    }

    /** Returns the verdict of a name on no list: this reply's own, else the cached reply's; {@code null} if none. */
    @Override
    public Verdict verdict() {
        return verdict != null || cached == null ? verdict : cached.verdict();
    }

    /** Returns the reply message; for a prepared reply it is parsed on demand (slow paths only). Read only. */
    @Override
    public Message reply() {
        return reply != null ? reply : cached.message();
    }

    /** Returns the reply's rcode. */
    public int rcode() {
        return reply != null ? reply.getRcode() : cached.rcode();
    }

    /** Builds a reply with no records and the given rcode for {@code query}. */
    public static Resolution error(Query query, int rcode, Source source) {
        Message reply = Replies.empty(query.message(), rcode);
        return new Resolution(reply, source, query.route(), null, null);
    }

    /** Builds a resolution served from a prepared reply. */
    public static Resolution of(PreparedReply cached, Source source, Route route) {
        return new Resolution(null, source, route, cached.upstream(), cached);
    }

    /** Returns this resolution attributed to an upstream group. */
    public Resolution withUpstream(String group) {
        return new Resolution(reply, source, route, group, cached, written, verdict);
    }

    /** Returns this resolution with the record of its set writes. */
    public Resolution withWritten(SetWrite write) {
        return new Resolution(reply, source, route, upstream, cached, write, verdict);
    }

    /** Returns this resolution with the verdict that chose it (a name on no list). */
    public Resolution withVerdict(Verdict newVerdict) {
        return new Resolution(reply, source, route, upstream, cached, written, newVerdict);
    }

    /** Builds a SERVFAIL resolution. */
    public static Resolution servfail(Query query) {
        return error(query, Rcode.SERVFAIL, Source.FAILED);
    }
}
