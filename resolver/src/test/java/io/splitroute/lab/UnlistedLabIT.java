package io.splitroute.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.it.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Names on no list in the router lab ({@link UnlistedDns}: no domain list, {@code unlisted:} judging answers by
 * a test cidr list): a blocked name gets its true address and not the ISP's poison, and its first connection
 * goes through the tunnel; a domestic name goes direct and stays out of the set; ten never-seen blocked names
 * each connect through the tunnel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnlistedLabIT {
    private static final List<String> TOOLS =
            List.of("ip", "iptables", "ipset", "wg", "wireguard-go", "dnsmasq", "dig", "curl", "busybox");

    private RouterLab lab;
    private RouterDns dns;
    private LabClient client;

    @BeforeAll
    void startLab() throws Exception {
        assumeTrue(isRoot(), "the lab needs root (network namespaces, iptables, WireGuard)");
        for (String tool : TOOLS) {
            assumeTrue(Executables.find(tool).isPresent(), tool + " is not installed");
        }
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "wireguard-go needs /dev/net/tun");
        lab = RouterLab.start(Path.of("target"), RoutingFlavour.IPTABLES, Site.UNLISTED_LAB);
        dns = new UnlistedDns(lab);
        dns.start();
        client = new LabClient(lab.client(), RouterLab.ROUTER_LAN);
    }

    @AfterAll
    void stopLab() {
        try {
            if (dns != null) {
                dns.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** What the counters said before a fetch. */
    private record Counters(long tunnelTx, long viaTunnel, long direct, long resets) {}

    private Counters counters(Site site) {
        return new Counters(lab.tunnelTxBytes(), lab.webPacketsViaTunnel(site), lab.webPacketsDirect(site),
                site.blockedByIsp() ? lab.ispResets(site.address()) : 0);
    }

    private boolean inSet(String address) {
        return lab.router().execAllowingFailure(lab.flavour().testElement(address)).exit() == 0;
    }

    private void assertThroughTunnel(Site site, Counters before, LabClient.Fetch fetch) {
        Counters after = counters(site);
        String context = fetch.output() + "\nbefore " + before + "\nafter  " + after + "\nserver: " + dns.describe();
        assertThat(fetch.code()).as("HTTP status of the fetch of %s%n%s", site.name(), context).isEqualTo(200);
        assertThat(fetch.remoteIp()).as("address fetched from").isEqualTo(site.address());
        assertThat(after.resets()).as("ISP resets to %s%n%s", site.address(), context).isEqualTo(before.resets());
        assertThat(after.viaTunnel()).as("web packets out of the tunnel%n%s", context).isGreaterThan(before.viaTunnel());
        assertThat(after.direct()).as("web packets the direct way%n%s", context).isEqualTo(before.direct());
    }

    /** The router's explanation of {@code name}: {@code dig NAME TXT CH}. */
    private String explain(String name) {
        return lab.client().exec("dig", "@" + RouterLab.ROUTER_LAN, "+time=2", "+tries=1", "+short", name, "TXT", "CH");
    }

    @Test
    void blockedName_getsItsTrueAddressNotThePoison_andItsFirstConnectionGoesThroughTheTunnel() throws Exception {
        Site site = Site.LISTED;
        Counters before = counters(site);

        LabClient.Fetch fetch = client.digThenFetch(site.name());

        assertThat(fetch.address()).as("answer for %s (the ISP answers %s)", site.name(), RouterLab.POISON)
                .isEqualTo(site.address());
        assertThroughTunnel(site, before, fetch);
        assertThat(lab.ispDnsQueries(site.name(), "A")).as("the ISP was asked too").isGreaterThanOrEqualTo(1);
        assertThat(explain(site.name()))
                .contains("\"route=unlisted\"", "\"verdict=foreign\"", "\"addresses=" + RouterLab.POISON + "\"",
                        "\"ip-list=domestic\"");
    }

    @Test
    void domesticName_goesDirectAndStaysOutOfTheSet() throws Exception {
        Site site = Site.DOMESTIC;
        Counters before = counters(site);

        LabClient.Fetch fetch = client.digThenFetch(site.name());

        Counters after = counters(site);
        String context = fetch.output() + "\nbefore " + before + "\nafter  " + after + "\nserver: " + dns.describe();
        assertThat(fetch.address()).as("answer for %s", site.name()).isEqualTo(site.address());
        assertThat(fetch.code()).as("HTTP status%n%s", context).isEqualTo(200);
        assertThat(after.direct()).as("web packets the direct way%n%s", context).isGreaterThan(before.direct());
        assertThat(after.viaTunnel()).as("web packets out of the tunnel%n%s", context).isEqualTo(before.viaTunnel());
        assertThat(inSet(site.address())).as("%s in the router's set", site.address()).isFalse();
        assertThat(explain(site.name()))
                .contains("\"verdict=domestic\"", "\"addresses=" + site.address() + "\"");
    }

    @Test
    void tenNeverSeenBlockedNames_eachConnectThroughTheTunnel() throws Exception {
        for (Site site : Site.NEVER_SEEN) {
            assertThat(inSet(site.address())).as("%s in the set before its first query", site.address()).isFalse();
            Counters before = counters(site);

            LabClient.Fetch fetch = client.fetchByName(site.name());

            assertThroughTunnel(site, before, fetch);
            assertThat(inSet(site.address())).as("%s in the router's set", site.address()).isTrue();
        }
    }
}
