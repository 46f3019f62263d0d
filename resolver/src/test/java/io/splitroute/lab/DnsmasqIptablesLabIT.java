package io.splitroute.lab;

import java.util.Map;

/**
 * The lab checks against dnsmasq set up the gfwlist2dnsmasq way, with the iptables + ipset routing script.
 * dnsmasq passes what it does and must fail exactly its three known gaps: it answers AAAA for listed names
 * (IPv6 goes around an IPv4 tunnel), an answer from its cache does not put deleted set entries back, and
 * with its clean server reached by a route (no {@code @wg0}) a downed tunnel sends listed names to the ISP.
 */
class DnsmasqIptablesLabIT extends LabChecks {

    @Override
    RoutingFlavour flavour() {
        return RoutingFlavour.IPTABLES;
    }

    @Override
    RouterDns server(RouterLab lab) {
        return new DnsmasqDns(lab);
    }

    @Override
    Map<Check, String> knownFailures() {
        return Map.of(Check.AAAA_NO_LEAK, "AAAA answers for " + Site.DUAL_STACK.name(),
                Check.CACHE_HIT_REFRESH, "HTTP status of the fetch of " + Site.CACHED.name(),
                Check.TUNNEL_DOWN_FAILS_CLOSED, "while the tunnel is down");
    }
}
