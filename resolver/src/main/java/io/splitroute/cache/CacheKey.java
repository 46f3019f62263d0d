package io.splitroute.cache;

import io.splitroute.query.Query;

/**
 * What a cached reply is filed under: name (lower case), type, class, the DO and CD bits,
 * and the route (the same name may be answered differently through different upstreams).
 *
 * @param name             the question name, lower case (as {@link Query#name()})
 * @param type             the question type
 * @param dclass           the question class
 * @param dnssecOk         the client's EDNS DO bit
 * @param checkingDisabled the client's CD bit
 * @param route            the route name
 */
public record CacheKey(String name, int type, int dclass, boolean dnssecOk, boolean checkingDisabled, String route) {

    /** Compares field by field, cheapest first (a hit compares one key per lookup). */
    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey k && type == k.type && dclass == k.dclass && dnssecOk == k.dnssecOk
                && checkingDisabled == k.checkingDisabled && name.equals(k.name) && java.util.Objects.equals(route, k.route);
    }

    @Override
    public int hashCode() {
        int h = name.hashCode() * 31 + type;
        h = h * 31 + (route == null ? 0 : route.hashCode());
        return h * 4 + (dnssecOk ? 2 : 0) + (checkingDisabled ? 1 : 0) + dclass * 8;
    }

    /** Returns the key for a routed query. */
    public static CacheKey of(Query query) {
        return new CacheKey(query.name(), query.qtype(), query.qclass(), query.dnssecOk(),
                query.fields().checkingDisabled(), query.route() == null ? null : query.route().name());
    }
}
