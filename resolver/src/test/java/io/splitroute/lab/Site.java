package io.splitroute.lab;

/**
 * One web site of the lab's internet: the name a client asks for, its true IPv4 address (where the lab's
 * web server answers and the clean DNS points), and whether the ISP resets TCP to that address.
 *
 * <p>Each check uses its own site, so the counters one check reads are moved by that check alone.
 */
public record Site(String name, String address, boolean blockedByIsp) {

    /** Listed, queried before fetching. */
    public static final Site LISTED = new Site("www.blocked.example", "203.0.113.10", true);
    /** Listed, never queried before the fetch. */
    public static final Site FRESH = new Site("fresh.blocked.example", "203.0.113.11", true);
    /** The CNAME target of {@code cdn.blocked.example}; not itself listed. */
    public static final Site CDN_EDGE = new Site("edge.cdnhost.example", "203.0.113.12", true);
    /** Listed, asked over TCP. */
    public static final Site TCP = new Site("tcp.blocked.example", "203.0.113.13", true);
    /** Listed, with an AAAA record at the clean DNS too ({@link RouterLab#V6_ADDRESS}). */
    public static final Site DUAL_STACK = new Site("v6.blocked.example", "203.0.113.14", true);
    /** Listed, fetched again from the cache after its set entry was deleted. */
    public static final Site CACHED = new Site("cached.blocked.example", "203.0.113.15", true);
    /** Listed, fetched by the router itself. */
    public static final Site ROUTER_OWN = new Site("self.blocked.example", "203.0.113.16", true);
    /** Listed, fetched after the DNS server was killed and restarted. */
    public static final Site RESTART = new Site("again.blocked.example", "203.0.113.17", true);
    /** Listed, fetched again while the DNS server is killed. */
    public static final Site KEPT = new Site("kept.blocked.example", "203.0.113.18", true);
    /** Listed, fetched while the tunnel's endpoint address is in the set. */
    public static final Site BESIDE_ENDPOINT = new Site("beside.blocked.example", "203.0.113.19", true);
    /** Listed, first asked while the tunnel is down, then again once it is back. */
    public static final Site TUNNEL_DOWN = new Site("down.blocked.example", "203.0.113.20", true);
    /** Not listed; reachable the direct way. */
    public static final Site OPEN = new Site("www.open.example", "203.0.113.30", false);

    /** The name that is a CNAME to {@link #CDN_EDGE}. */
    public static final String CDN_ALIAS = "cdn.blocked.example";

    /** Every site the lab's clean DNS and web server know. */
    public static final java.util.List<Site> ALL =
            java.util.List.of(LISTED, FRESH, CDN_EDGE, TCP, DUAL_STACK, CACHED, ROUTER_OWN, RESTART, KEPT,
                    BESIDE_ENDPOINT, TUNNEL_DOWN, OPEN);
}
