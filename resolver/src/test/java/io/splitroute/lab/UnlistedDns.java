package io.splitroute.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * splitroute on the router with no domain list at all: every name is on no list, asked of the ISP and of the
 * clean resolver (its group bound to the tunnel interface, as in {@link SplitrouteDns}) at once, and judged by a test cidr list that calls
 * {@link Site#DOMESTIC_RANGE} of the lab's internet domestic.
 */
public final class UnlistedDns extends SplitrouteDns {

    /** Creates the server for {@code lab}. */
    public UnlistedDns(RouterLab lab) {
        super(lab);
    }

    @Override
    protected String config(Path dir) throws IOException {
        Path domestic = Files.writeString(dir.resolve("domestic.txt"),
                "# the lab's \"domestic\" part of the internet\n" + Site.DOMESTIC_RANGE + "\n");
        return """
                listen: ["%s:53", "127.0.0.1:53"]
                upstreams:
                  isp: ["udp://%s:53"]
                  clean: { servers: ["udp://%s:53"], interface: %s, mark: 0xca6c }
                ip-lists: { domestic: { file: %s } }
                sets: { gfw4: %s }
                unlisted: { domestic: isp, trusted: clean, domestic-ips: [domestic], sets: [gfw4], aaaa: drop }
                set-timeout: { min: 300, max: 86400, grace: 60 }
                acl: ["10.0.0.0/8", "127.0.0.0/8"]
                upstream-timeout: 1000ms
                """.formatted(RouterLab.ROUTER_LAN, RouterLab.ISP_DNS, RouterLab.CLEAN_DNS_ROUTED, lab().routerWg(), domestic,
                lab().flavour().splitrouteSet());
    }
}
