package io.splitroute.lab;

import java.util.Set;

/**
 * The lab checks against dnsmasq set up the gfwlist2dnsmasq way, with the iptables + ipset routing script.
 * dnsmasq passes what it does and must fail exactly its two known gaps: it answers AAAA for listed names
 * (IPv6 goes around an IPv4 tunnel), and an answer from its cache does not put deleted set entries back.
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
    Set<Check> knownFailures() {
        return Set.of(Check.AAAA_NO_LEAK, Check.CACHE_HIT_REFRESH);
    }
}
