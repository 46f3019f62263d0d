package io.splitroute.lab;

/** The lab's checks, named so a server can declare the ones it is known to fail. */
public enum Check {
    /** A listed name resolves to its true address and a fetch right after goes through the tunnel. */
    LISTED_NAME,
    /** The first connection to a listed name never asked before goes through the tunnel. */
    FRESH_NAME,
    /** An unlisted name resolves through the ISP and its traffic goes the direct way. */
    UNLISTED_NAME,
    /** A CNAME chain's target addresses, not listed themselves, go through the tunnel. */
    CNAME_CHAIN,
    /** The same over DNS-over-TCP. */
    TCP_QUERY,
    /** No AAAA answer for a listed name around the IPv4-only tunnel. */
    AAAA_NO_LEAK,
    /** A cached answer puts deleted set entries back, so the fetch still goes through the tunnel. */
    CACHE_HIT_REFRESH,
    /** The router's own traffic to a listed name goes through the tunnel. */
    ROUTER_OWN_TRAFFIC,
    /** A killed server makes queries fail fast; a restarted one serves again. */
    FAIL_FAST_AND_RESTART,
    /**
     * With the server killed (SIGKILL) and its unit's stop commands run, a set member still goes through the
     * tunnel and the clean DNS server is not reached through the ISP.
     */
    KILLED_ROUTING_STAYS,
    /** The tunnel's own endpoint address in the set does not loop the tunnel into itself. */
    ENDPOINT_IN_SET,
    /**
     * With the tunnel interface down, a listed name never asked before gets SERVFAIL at once (no poisoned
     * answer, nothing in the set, no query seen by the ISP's resolver); with the tunnel back, its true answer.
     */
    TUNNEL_DOWN_FAILS_CLOSED
}
