package io.splitroute.lab;

import java.util.Map;

/** The lab checks against splitroute, with the iptables + ipset routing script. All must pass. */
class SplitrouteIptablesLabIT extends LabChecks {

    @Override
    RoutingFlavour flavour() {
        return RoutingFlavour.IPTABLES;
    }

    @Override
    RouterDns server(RouterLab lab) {
        return new SplitrouteDns(lab);
    }

    @Override
    Map<Check, String> knownFailures() {
        return Map.of();
    }
}
