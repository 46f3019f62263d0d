package io.splitroute.query;

import java.util.Locale;

/** What a route does with IPv6 addresses in answers (AAAA records, HTTPS/SVCB ipv6hint). */
public enum AaaaPolicy {
    /** Answer without them, so clients use IPv4 through an IPv4-only tunnel: no IPv6 leak around it. */
    DROP,
    /** Pass them to the client untouched and write them nowhere. */
    PASS,
    /** Pass them and write them to the route's inet6 sets. */
    SET;

    /** Returns the config spelling: {@code drop}, {@code pass} or {@code set}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
