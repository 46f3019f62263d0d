package io.splitroute.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.it.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The end-to-end checks, run from the lab's LAN client against the DNS server a subclass puts on the
 * router. A check the server is known to fail is run all the same and must fail: that proves the check
 * can tell a working router from a broken one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LabChecks {

    private static final List<String> TOOLS =
            List.of("ip", "iptables", "ipset", "nft", "wg", "wireguard-go", "dnsmasq", "dig", "curl", "busybox");

    private RouterLab lab;
    private RouterDns dns;
    private LabClient client;

    /** Returns the routing script the router runs. */
    abstract RoutingFlavour flavour();

    /** Returns the DNS server to put on the router (not started). */
    abstract RouterDns server(RouterLab lab);

    /** Returns the checks this server is known to fail. */
    abstract Set<Check> knownFailures();

    @BeforeAll
    void startLab() throws Exception {
        assumeTrue(isRoot(), "the lab needs root (network namespaces, iptables, WireGuard)");
        for (String tool : TOOLS) {
            assumeTrue(Executables.find(tool).isPresent(), tool + " is not installed");
        }
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "wireguard-go needs /dev/net/tun");
        lab = RouterLab.start(Path.of("target"), flavour());
        dns = server(lab);
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

    /** A check body; AssertionError is its failure. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body}: it must pass, or, if {@code check} is a known failure of this server, fail. */
    private void verify(Check check, Body body) throws Exception {
        if (knownFailures().contains(check)) {
            assertThatThrownBy(body::run).as("%s is known to fail with %s, but passed", check, getClass().getSimpleName())
                    .isInstanceOf(AssertionError.class);
        } else {
            body.run();
        }
    }

    /** What the counters said before a fetch. */
    private record Counters(long tunnelTx, long viaTunnel, long direct, long resets) {}

    private Counters counters(Site site) {
        return new Counters(lab.tunnelTxBytes(), lab.webPacketsViaTunnel(site), lab.webPacketsDirect(site),
                site.blockedByIsp() ? lab.ispResets(site.address()) : 0);
    }

    private void assertThroughTunnel(Site site, Counters before, LabClient.Fetch fetch) {
        Counters after = counters(site);
        String context = fetch.output() + "\nbefore " + before + "\nafter  " + after + "\nserver: " + dns.describe();
        assertThat(fetch.code()).as("HTTP status of the fetch of %s%n%s", site.name(), context).isEqualTo(200);
        assertThat(fetch.remoteIp()).as("address fetched from").isEqualTo(site.address());
        assertThat(after.resets()).as("ISP resets to %s%n%s", site.address(), context).isEqualTo(before.resets());
        assertThat(after.viaTunnel()).as("web packets out of the tunnel%n%s", context).isGreaterThan(before.viaTunnel());
        assertThat(after.direct()).as("web packets the direct way%n%s", context).isEqualTo(before.direct());
        assertThat(after.tunnelTx()).as("tunnel tx bytes%n%s", context).isGreaterThan(before.tunnelTx());
    }

    @Test
    void listedName_resolvesTrueAddressAndFetchGoesThroughTunnel() throws Exception {
        verify(Check.LISTED_NAME, () -> {
            Site site = Site.LISTED;
            Counters before = counters(site);

            LabClient.Fetch fetch = client.digThenFetch(site.name());

            assertThat(fetch.address()).as("answer for %s", site.name()).isEqualTo(site.address());
            assertThroughTunnel(site, before, fetch);
        });
    }

    @Test
    void neverQueriedName_firstConnectionGoesThroughTunnel() throws Exception {
        verify(Check.FRESH_NAME, () -> {
            Site site = Site.FRESH;
            Counters before = counters(site);

            LabClient.Fetch fetch = client.fetchByName(site.name());

            assertThroughTunnel(site, before, fetch);
        });
    }

    @Test
    void unlistedName_resolvesThroughIspAndGoesDirect() throws Exception {
        verify(Check.UNLISTED_NAME, () -> {
            Site site = Site.OPEN;
            Counters before = counters(site);

            LabClient.Fetch fetch = client.digThenFetch(site.name());

            Counters after = counters(site);
            String context = fetch.output() + "\nbefore " + before + "\nafter  " + after;
            assertThat(fetch.address()).as("answer for %s", site.name()).isEqualTo(site.address());
            assertThat(fetch.code()).as("HTTP status%n%s", context).isEqualTo(200);
            assertThat(after.direct()).as("web packets the direct way%n%s", context).isGreaterThan(before.direct());
            assertThat(after.viaTunnel()).as("web packets out of the tunnel%n%s", context).isEqualTo(before.viaTunnel());
            assertThat(after.tunnelTx()).as("tunnel tx bytes%n%s", context).isEqualTo(before.tunnelTx());
            assertThat(inSet(site.address())).as("%s in the router's set", site.address()).isFalse();
        });
    }

    private boolean inSet(String address) {
        return lab.router().execAllowingFailure(lab.flavour().testElement(address)).exit() == 0;
    }
}
