package io.splitroute.lab;

import java.util.Map;

/** The lab checks against splitroute, with the nftables routing script (table inet splitroute). All must pass. */
class SplitrouteNftLabIT extends LabChecks {

    @Override
    RoutingFlavour flavour() {
        return RoutingFlavour.NFT;
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
