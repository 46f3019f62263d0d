package io.splitroute.cache;

import io.splitroute.query.AnswerAddress;
import io.splitroute.query.PreparedReply;
import io.splitroute.query.Query;
import io.splitroute.query.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.xbill.DNS.Message;

/**
 * An expired entry served because every upstream of its route failed (RFC 8767): every TTL reads
 * {@value #TTL} seconds, its age is 0 and its lifetime {@value #TTL} seconds, so the set stage gives its addresses
 * the shortest set timeout ({@code set-timeout.min}) and the client asks again soon.
 */
public final class StaleReply implements PreparedReply {
    /** The TTL of a stale answer, in seconds: RFC 8767's recommendation. */
    public static final long TTL = 30;

    private final CachedReply entry;

    /** @param entry the expired entry served */
    public StaleReply(CachedReply entry) {
        this.entry = entry;
    }

    /** Returns the expired entry served. */
    public CachedReply entry() {
        return entry;
    }

    @Override
    public Message message() {
        try {
            return new Message(entry.wireWithTtl(TTL));
        } catch (IOException e) {
            throw new UncheckedIOException("a cached reply no longer parses", e);
        }
    }

    @Override
    public int rcode() {
        return entry.rcode();
    }

    @Override
    public Source source() {
        return entry.source();
    }

    @Override
    public String upstream() {
        return entry.upstream();
    }

    @Override
    public long lifetimeSeconds() {
        return TTL;
    }

    @Override
    public long ageSeconds(long nowNanos) {
        return 0;
    }

    @Override
    public List<AnswerAddress> addresses(boolean withIpv6) {
        return entry.addresses(withIpv6).stream().map(a -> new AnswerAddress(a.address(), TTL)).toList();
    }

    @Override
    public byte[] render(Query query, long ageSeconds) {
        return entry.render(query, 0, TTL);
    }
}
