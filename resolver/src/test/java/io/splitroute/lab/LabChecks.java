package io.splitroute.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.it.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
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

    /** The bytes {@code wg show transfer} counts for one WireGuard keepalive. */
    private static final long KEEPALIVE_BYTES = 32;

    private RouterLab lab;
    private RouterDns dns;
    private LabClient client;

    /** Returns the routing script the router runs. */
    abstract RoutingFlavour flavour();

    /** Returns the DNS server to put on the router (not started). */
    abstract RouterDns server(RouterLab lab);

    /** Returns the checks this server is known to fail, each with a fragment of the failure it must give. */
    abstract Map<Check, String> knownFailures();

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
        String expectedFailure = knownFailures().get(check);
        if (expectedFailure != null) {
            assertThatThrownBy(body::run).as("%s is known to fail with %s, but passed", check, getClass().getSimpleName())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining(expectedFailure)
                    .satisfies(e -> System.out.printf("%s fails %s as known: %s%n", getClass().getSimpleName(), check,
                            e.getMessage().strip().lines().limit(4).toList()));
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

    /** The lab itself: without the router's help the ISP poisons listed names and resets their addresses. */
    @Test
    void isp_poisonsWhateverResolverIsAskedAndResetsBlockedAddresses() {
        // 203.0.113.30 runs no DNS server: the ISP's DNAT answers in its place.
        String answer = lab.client().exec("dig", "@" + Site.OPEN.address(), "+time=2", "+tries=1", "+short",
                Site.LISTED.name(), "A");
        long resets = lab.ispResets(RouterLab.POISON);

        LabClient.Fetch fetch = client.fetchByIp(RouterLab.POISON);

        assertThat(answer.strip()).isEqualTo(RouterLab.POISON);
        assertThat(fetch.code()).as(fetch.output()).isZero();
        // A reset answering the SYN is what curl calls "Couldn't connect" (ECONNREFUSED), at once, not a timeout.
        assertThat(fetch.output()).contains("Couldn't connect to server");
        assertThat(lab.ispResets(RouterLab.POISON)).isGreaterThan(resets);
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
            // Exactly zero but for one WireGuard keepalive (32 bytes), which wireguard-go may send 10 s after
            // the last packet it received; the fetch's own packets alone would be well over 300 bytes.
            assertThat(after.tunnelTx() - before.tunnelTx()).as("tunnel tx bytes%n%s", context)
                    .isLessThanOrEqualTo(KEEPALIVE_BYTES);
            assertThat(inSet(site.address())).as("%s in the router's set", site.address()).isFalse();
        });
    }

    @Test
    void cnameChain_unlistedTargetGoesThroughTunnel() throws Exception {
        verify(Check.CNAME_CHAIN, () -> {
            Site site = Site.CDN_EDGE;
            Counters before = counters(site);

            LabClient.Fetch fetch = client.digThenFetch(Site.CDN_ALIAS);

            assertThat(fetch.address()).as("answer for %s", Site.CDN_ALIAS).isEqualTo(site.address());
            assertThroughTunnel(site, before, fetch);
            assertThat(client.dig(Site.CDN_ALIAS, "A").data("CNAME")).containsExactly(site.name() + ".");
        });
    }

    @Test
    void tcpQuery_listedNameGoesThroughTunnel() throws Exception {
        verify(Check.TCP_QUERY, () -> {
            Site site = Site.TCP;
            Counters before = counters(site);

            LabClient.Fetch fetch = client.digThenFetch(site.name(), "+tcp");

            assertThat(fetch.address()).as("answer over TCP for %s", site.name()).isEqualTo(site.address());
            assertThroughTunnel(site, before, fetch);
        });
    }

    @Test
    void aaaa_listedNameGetsNoIpv6AnswerAroundIpv4Tunnel() throws Exception {
        Site site = Site.DUAL_STACK;
        // The record exists: without a policy, the client would get it and bypass the tunnel over IPv6.
        assertThat(lab.router().exec("dig", "@" + RouterLab.CLEAN_DNS, "+time=2", "+tries=1", "+short",
                site.name(), "AAAA")).contains(RouterLab.V6_ADDRESS);
        verify(Check.AAAA_NO_LEAK, () -> {
            LabClient.Reply reply = client.dig(site.name(), "AAAA");

            assertThat(reply.status()).as(reply.output()).isEqualTo("NOERROR");
            assertThat(reply.data("AAAA")).as("AAAA answers for %s%n%s", site.name(), reply.output()).isEmpty();
        });
        assertThat(client.dig(site.name(), "A").data("A")).containsExactly(site.address());
    }

    @Test
    void cacheHit_putsDeletedSetEntryBackAndFetchGoesThroughTunnel() throws Exception {
        Site site = Site.CACHED;
        Counters first = counters(site);
        assertThroughTunnel(site, first, client.digThenFetch(site.name()));
        lab.router().exec(lab.flavour().deleteElement(site.address()));
        assertThat(inSet(site.address())).as("%s deleted from the set", site.address()).isFalse();

        verify(Check.CACHE_HIT_REFRESH, () -> {
            Counters before = counters(site);

            LabClient.Fetch fetch = client.digThenFetch(site.name());

            assertThat(fetch.address()).isEqualTo(site.address());
            assertThroughTunnel(site, before, fetch);
        });
        assertThat(lab.cleanDnsQueries(site.name(), "A")).as("the second answer came from the cache").isEqualTo(1);
    }

    @Test
    void routerOwnTraffic_listedNameGoesThroughTunnel() throws Exception {
        verify(Check.ROUTER_OWN_TRAFFIC, () -> {
            Site site = Site.ROUTER_OWN;
            Counters before = counters(site);

            LabClient.Fetch fetch = new LabClient(lab.router(), "127.0.0.1").fetchByName(site.name());

            assertThroughTunnel(site, before, fetch);
        });
    }

    /**
     * One kill (SIGKILL, then what the server's unit runs after a stop) for three checks, so the server is
     * restarted once: queries fail fast, routing stays, and the restarted server serves.
     */
    @Test
    void killedServer_queriesFailFastRoutingStays_restartedServerServes() throws Exception {
        Site kept = Site.KEPT;
        assertThroughTunnel(kept, counters(kept), client.digThenFetch(kept.name()));
        Site site = Site.RESTART;
        dns.kill();
        try {
            verify(Check.FAIL_FAST_AND_RESTART, () -> queriesFailFast(site));
            verify(Check.KILLED_ROUTING_STAYS, () -> setMemberThroughTunnel_cleanDnsNotThroughIsp(kept));
            downThenUp_idempotentBothWays();
        } finally {
            // Whatever failed above, the next checks need routing and the server back.
            lab.routing("up");
            dns.start();
        }
        verify(Check.FAIL_FAST_AND_RESTART, () -> {
            Counters before = counters(site);

            LabClient.Fetch fetch = client.digThenFetch(site.name());

            assertThat(fetch.address()).isEqualTo(site.address());
            assertThroughTunnel(site, before, fetch);
        });
    }

    private void queriesFailFast(Site site) {
        for (String transport : List.of("+notcp", "+tcp")) {
            // dig waits up to 2 s for an answer: an error well before that is a refusal, not a timeout.
            long start = System.nanoTime();
            LabClient.Reply reply = client.dig(site.name(), "A", transport);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("%s killed: dig %s gave up after %d ms%n", dns.getClass().getSimpleName(),
                    transport, millis);

            assertThat(reply.status()).as(reply.output()).isNull();
            assertThat(reply.output()).as("dig %s against a killed server", transport)
                    .containsIgnoringCase("connection refused");
            assertThat(millis).as("ms until dig %s gave up%n%s", transport, reply.output()).isLessThan(1500);
        }
    }

    private void setMemberThroughTunnel_cleanDnsNotThroughIsp(Site member) throws Exception {
        Counters before = counters(member);

        LabClient.Fetch fetch = client.fetchByIp(member.address());

        assertThroughTunnel(member, before, fetch);
        // The router asks the clean DNS itself: the ISP would answer any port-53 packet with its poison.
        long tunnelTx = lab.tunnelTxBytes();
        String answer = lab.router().execAllowingFailure("dig", "@" + RouterLab.CLEAN_DNS, "+time=2", "+tries=1",
                "+short", member.name(), "A").output();
        assertThat(answer.strip()).as("the clean DNS's answer to the router").isEqualTo(member.address());
        assertThat(lab.ispDnsQueries(member.name(), "A")).as("queries the ISP's resolver saw").isZero();
        assertThat(lab.tunnelTxBytes()).as("tunnel tx bytes").isGreaterThan(tunnelTx);
    }

    /** A deliberate uninstall: {@code down} removes all {@code up} added, twice the same; {@code up} twice the same. */
    private void downThenUp_idempotentBothWays() {
        Netns.Result down = lab.routing("down");
        assertThat(down.exit()).as(down.output()).isZero();
        assertThat(lab.routingSnapshot()).as("routing after down").isEqualTo(lab.routingSnapshotBeforeUp());
        lab.routing("down");
        assertThat(lab.routingSnapshot()).as("routing after a second down").isEqualTo(lab.routingSnapshotBeforeUp());
        lab.routing("up");
        String up = lab.routingSnapshot();
        lab.routing("up");
        assertThat(lab.routingSnapshot()).as("routing after a second up").isEqualTo(up);
    }

    @Test
    void tunnelEndpointInSet_listedTrafficStillThroughTunnel() throws Exception {
        Site site = Site.BESIDE_ENDPOINT;
        // As an upstream's answer could put it there: marked, the tunnel's own packets would enter the tunnel.
        lab.router().exec(lab.flavour().addElement(lab.tunnelEndpoint()));
        try {
            verify(Check.ENDPOINT_IN_SET, () -> {
                Counters before = counters(site);

                LabClient.Fetch fetch = client.digThenFetch(site.name());

                assertThat(fetch.address()).as("answer for %s", site.name()).isEqualTo(site.address());
                assertThroughTunnel(site, before, fetch);
            });
        } finally {
            lab.router().execAllowingFailure(lab.flavour().deleteElement(lab.tunnelEndpoint()));
        }
    }

    /** splitroute's own diagnosis of the working router passes every check, WireGuard's handshake included. */
    @Test
    void doctor_everyCheckPassesOnTheWorkingRouter() throws Exception {
        assumeTrue(dns instanceof SplitrouteDns, "doctor checks splitroute's own chain");
        String wg = lab.routerWg();

        DoctorRun run = DoctorRun.in(lab.router(), "--config", lab.dir().resolve("splitroute.yaml").toString(),
                "--routing-settings", lab.routingSettings().toString(), Site.LISTED.name(), Site.OPEN.name());

        System.out.println(run);
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.line("tunnel " + wg)).startsWith("ok   tunnel " + wg + ": up, WireGuard, latest handshake");
        assertThat(run.line("name " + Site.LISTED.name())).startsWith("ok   name " + Site.LISTED.name() + ": route tunnel, "
                + Site.LISTED.address() + " in ").endsWith(", leaves through " + wg);
        assertThat(run.line("name " + Site.OPEN.name())).isEqualTo("ok   name " + Site.OPEN.name() + ": route default, "
                + Site.OPEN.address() + " (no set: not tunnelled)");
    }

    /**
     * The tunnel goes down (its interface, and the route to the clean DNS with it): a listed name never asked
     * before must get SERVFAIL at once, not a poisoned answer through the ISP; nothing goes into the set and
     * the ISP's resolver sees no query for it. With the tunnel back, the same name gets its true answer (a
     * poisoned answer cached while it was down would show here) and goes through the tunnel.
     */
    @Test
    void tunnelDown_listedNameFailsClosed_trueAnswerOnceBack() throws Exception {
        Site site = Site.TUNNEL_DOWN;
        try {
            verify(Check.TUNNEL_DOWN_FAILS_CLOSED, () -> {
                SoftAssertions softly = new SoftAssertions(); // every way it fails, not just the first
                lab.tunnelDown();
                try {
                    LabClient.Reply reply = client.dig(site.name(), "A", "+stats");
                    String context = reply.output() + "\nserver: " + dns.describe();
                    System.out.printf("%s, tunnel down: %s in %s ms%n", dns.getClass().getSimpleName(), reply.status(),
                            reply.queryMillis());
                    softly.assertThat(reply.status()).as("reply for %s while the tunnel is down%n%s", site.name(), context)
                            .isEqualTo("SERVFAIL");
                    softly.assertThat(reply.queryMillis())
                            .as("ms to the reply while the tunnel is down (a timeout takes 1000)").isBetween(0L, 999L);
                    softly.assertThat(inSet(RouterLab.POISON)).as("poisoned address in the set while the tunnel is down")
                            .isFalse();
                    softly.assertThat(lab.ispDnsQueries(site.name(), "A"))
                            .as("queries for %s the ISP's resolver saw while the tunnel is down", site.name()).isZero();
                    String health = dns.health();
                    if (health != null) {
                        softly.assertThat(health).as("/healthz while the tunnel is down").contains("upstream group clean: "
                                + "all servers bound to " + lab.routerWg() + " are failing (interface down)");
                    }
                } finally {
                    lab.tunnelUp();
                }
                Counters before = counters(site);

                LabClient.Fetch fetch = client.digThenFetch(site.name());

                softly.assertThat(fetch.address()).as("answer for %s once the tunnel is back (after one while it was "
                        + "down)", site.name()).isEqualTo(site.address());
                softly.assertThat(inSet(RouterLab.POISON)).as("poisoned address in the set once the tunnel is back").isFalse();
                softly.assertAll();
                assertThroughTunnel(site, before, fetch);
            });
        } finally {
            // A server known to fail this check took the poison: keep the other checks' set clean.
            lab.router().execAllowingFailure(lab.flavour().deleteElement(RouterLab.POISON));
        }
    }

    private boolean inSet(String address) {
        return lab.router().execAllowingFailure(lab.flavour().testElement(address)).exit() == 0;
    }
}
