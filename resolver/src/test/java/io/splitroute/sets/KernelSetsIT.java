package io.splitroute.sets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.app.StartupException;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.sink.KernelSetWriter;
import io.splitroute.sink.TestNamespace;
import io.splitroute.testing.FakeUpstream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Real kernel sets: splitroute writes through netlink into ipsets and nftables sets inside a network
 * namespace the test creates; {@code ipset list} / {@code nft list set} check what landed.
 */
class KernelSetsIT {
    private static TestNamespace ns;
    private FakeUpstream upstream;
    private KernelSetWriter writer;
    private RunningResolver resolver;

    @BeforeAll
    static void namespace() {
        assumeTrue(TestNamespace.available(), "needs root and ip netns");
        ns = TestNamespace.create("resolver");
    }

    @AfterAll
    static void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @BeforeEach
    void start() {
        ns.execAllowingFailure("ipset", "destroy");
        ns.execAllowingFailure("nft", "flush", "ruleset");
        ns.exec("ipset", "create", "gfwlist", "hash:ip", "timeout", "0");
        ns.exec("ipset", "create", "small", "hash:ip", "timeout", "0", "maxelem", "2");
        ns.exec("nft", "add", "table", "inet", "fw4");
        ns.exec("nft add set inet fw4 gfw4 { type ipv4_addr; flags timeout; }".split(" "));
        ns.exec("nft add set inet fw4 gfw6 { type ipv6_addr; flags timeout; }".split(" "));
        upstream = FakeUpstream.start()
                .answer("www.blocked.example.", Type.A, 600, "192.0.2.1")
                .answer("www.blocked.example.", Type.AAAA, 600, "2001:db8::1")
                .cname("cdn.blocked.example.", 60, "edge.cdn.test.")
                .answer("edge.cdn.test.", Type.A, 600, "198.51.100.7")
                .answer("a.full.example.", Type.A, 600, "192.0.2.11")
                .answer("b.full.example.", Type.A, 600, "192.0.2.12")
                .answer("c.full.example.", Type.A, 600, "192.0.2.13")
                .unknownWildcard(600);
        writer = KernelSetWriter.open(ns.path());
    }

    @AfterEach
    void stop() {
        if (resolver != null) {
            resolver.close();
        }
        writer.close();
        upstream.close();
    }

    /** A long write deadline: these tests are about what lands, and a loaded machine must not make a write late. */
    private void resolver(String sets) throws Exception {
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { isp: ["%s"] }
                sets:
                  ip4: { type: ipset, name: gfwlist }
                  nft4: { type: nftset, table: "inet fw4", name: gfw4 }
                  nft6: { type: nftset, table: "inet fw4", name: gfw6, family: inet6 }
                  tiny: { type: ipset, name: small }
                routes:
                  - { name: tunnel, domains: [blocked.example, test], upstream: isp, sets: [%s] }
                  - { name: full, domains: [full.example], upstream: isp, sets: [tiny] }
                set-timeout: { min: 300, max: 86400, grace: 60 }
                set-write-deadline: 5s
                """.formatted(upstream.udpUri(), sets), writer);
    }

    private static long ipsetTimeout(String listing, String address) {
        Matcher m = Pattern.compile(Pattern.quote(address) + " timeout (\\d+)").matcher(listing);
        assertThat(m.find()).as("%s in%n%s", address, listing).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void answer_landsInIpsetAndNftWithTtlBasedTimeouts() throws Exception {
        resolver("ip4, nft4, nft6");
        resolver.client().udp("www.blocked.example", Type.A);

        assertThat(ipsetTimeout(ns.exec("ipset", "list", "gfwlist"), "192.0.2.1")).isBetween(640L, 660L);
        assertThat(ns.exec("nft", "list", "set", "inet", "fw4", "gfw4"))
                .containsPattern("192\\.0\\.2\\.1 timeout 11m expires 1[01]m");
    }

    @Test
    void cacheHit_putsFlushedEntriesBack() throws Exception {
        resolver("ip4");
        resolver.client().udp("www.blocked.example", Type.A);
        ns.exec("ipset", "flush", "gfwlist");
        assertThat(ns.exec("ipset", "list", "gfwlist")).doesNotContain("192.0.2.1");

        resolver.client().udp("www.blocked.example", Type.A);

        assertThat(upstream.queryCount("www.blocked.example", Type.A)).isEqualTo(1);
        assertThat(ns.exec("ipset", "list", "gfwlist")).contains("192.0.2.1 timeout");
    }

    @Test
    void cnameChain_targetAddressLands() throws Exception {
        resolver("ip4");
        resolver.client().udp("cdn.blocked.example", Type.A);

        assertThat(ns.exec("ipset", "list", "gfwlist")).contains("198.51.100.7 timeout");
    }

    @Test
    void aaaaSet_landsInInet6NftSet() throws Exception {
        resolver("ip4, nft6");
        Message reply = resolver.client().udp("www.blocked.example", Type.AAAA);

        assertThat(reply.getSectionArray(org.xbill.DNS.Section.ANSWER)).hasSize(1);
        assertThat(ns.exec("nft", "list", "set", "inet", "fw4", "gfw6")).contains("2001:db8::1 timeout");
        assertThat(ns.exec("ipset", "list", "gfwlist")).doesNotContain("2001:db8::1");
    }

    @Test
    void aaaaDrop_nothingInInet6SetAndNoAnswer() throws Exception {
        resolver("ip4");
        Message reply = resolver.client().udp("www.blocked.example", Type.AAAA);

        assertThat(reply.getSectionArray(org.xbill.DNS.Section.ANSWER)).isEmpty();
        assertThat(ns.exec("nft", "list", "set", "inet", "fw4", "gfw6")).doesNotContain("2001:db8::1");
    }

    @Test
    void membership_everyAddressIsInTheSetWhenItsReplyArrives() throws Exception {
        resolver("ip4");
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String name = "n" + i + ".test";
            String address = FakeUpstream.wildcardAddress(name);
            Message reply = resolver.client().udp(name, Type.A);
            assertThat(DnsClient.firstAddress(reply)).isEqualTo(address);
            if (ns.execAllowingFailure("ipset", "test", "gfwlist", address).exit() != 0) {
                missing.add(name + " " + address);
            }
            ns.exec("ipset", "flush", "gfwlist");
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void fullSet_writeFailsCountedAnswerStillServed() throws Exception {
        resolver("ip4");
        for (String n : List.of("a", "b", "c")) {
            Message reply = resolver.client().udp(n + ".full.example", Type.A);
            assertThat(DnsClient.firstAddress(reply)).isNotNull();
        }

        assertThat(resolver.lifecycle().resolver().setWrites().failedWrites()).isEqualTo(1);
        assertThat(writer.stats().values()).anyMatch(s -> s.failedElements() == 1);
    }

    @Test
    void missingSet_startupFailsWithHowToCreateIt() {
        ns.exec("ipset", "destroy", "gfwlist");

        assertThatThrownBy(() -> resolver("ip4")).isInstanceOf(StartupException.class)
                .hasMessageContaining("ipset gfwlist does not exist in this network namespace; create it with: ipset create gfwlist");
    }

    @Test
    void wrongFamily_startupFailsNamingBoth() {
        ns.exec("ipset", "destroy", "gfwlist");
        ns.exec("ipset", "create", "gfwlist", "hash:ip", "family", "inet6", "timeout", "0");

        assertThatThrownBy(() -> resolver("ip4")).isInstanceOf(StartupException.class)
                .hasMessageContaining("ipset gfwlist has family inet6 but is configured as inet");
    }
}
