package io.splitroute.cache;

import io.splitroute.query.Query;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * What a cached reply is filed under: name (compared case-insensitively), type, class, the DO and CD bits,
 * and the route (the same name may be answered differently through different upstreams).
 *
 * @param name             the question name
 * @param type             the question type
 * @param dclass           the question class
 * @param dnssecOk         the client's EDNS DO bit
 * @param checkingDisabled the client's CD bit
 * @param route            the route name
 */
public record CacheKey(Name name, int type, int dclass, boolean dnssecOk, boolean checkingDisabled, String route) {

    /** Returns the key for a routed query. */
    public static CacheKey of(Query query) {
        Record q = query.question();
        return new CacheKey(q.getName(), q.getType(), q.getDClass(), query.dnssecOk(),
                query.message().getHeader().getFlag(Flags.CD), query.route() == null ? null : query.route().name());
    }
}
