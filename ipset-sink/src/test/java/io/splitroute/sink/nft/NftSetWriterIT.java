package io.splitroute.sink.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.KernelSets;
import io.splitroute.sink.NftSetTarget;
import io.splitroute.sink.SetElement;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.TargetStats;
import io.splitroute.sink.TestNamespace;
import io.splitroute.sink.WriteResult;
import io.splitroute.sink.netlink.NetlinkSocket;
import io.splitroute.sink.netlink.SilencingChannel;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NftSetWriter against the real kernel, inside a namespace of its own; checked with {@code nft list set}. */
class NftSetWriterIT {
    private static TestNamespace ns;
    private static NftSetWriter writer;

    @BeforeAll
    static void openNamespace() throws Exception {
        Assumptions.assumeTrue(TestNamespace.available(), "needs root and iproute2");
        ns = TestNamespace.create("nft");
        ns.execWithInput("""
                table ip t4 { }
                table ip6 t6 { }
                table inet fw4 { }
                """, "nft", "-f", "-");
        writer = NftSetWriter.open(ns.path());
    }

    @AfterAll
    static void removeNamespace() {
        if (writer != null) {
            writer.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private static void set(String family, String table, String name, String body) {
        ns.exec("nft", "add set " + family + " " + table + " " + name + " { " + body + " }");
    }

    private static Map<InetAddress, Long> elements(NftSetTarget target) {
        return KernelSets.nftElements(ns.exec("nft", "list", "set", target.tableFamily(), target.table(), target.set()));
    }

    private static WriteResult add(NftSetTarget target, SetElement... elements) throws Exception {
        return writer.add(target, List.of(elements)).get();
    }

    @Test
    void add_ipTable_landsWithTimeout() throws Exception {
        set("ip", "t4", "a4", "type ipv4_addr; flags timeout;");
        NftSetTarget target = new NftSetTarget("ip", "t4", "a4", AddressFamily.INET);

        WriteResult result = add(target, new SetElement(ip("192.0.2.1"), Duration.ofSeconds(300)),
                new SetElement(ip("198.51.100.1"), Duration.ofSeconds(900)));

        assertThat(result.errors()).isEmpty();
        assertThat(result.written()).isEqualTo(2);
        Map<InetAddress, Long> elements = elements(target);
        assertThat(elements.get(ip("192.0.2.1"))).isCloseTo(300L, within(5L));
        assertThat(elements.get(ip("198.51.100.1"))).isCloseTo(900L, within(5L));
    }

    @Test
    void add_ip6Table_lands() throws Exception {
        set("ip6", "t6", "a6", "type ipv6_addr; flags timeout;");
        NftSetTarget target = new NftSetTarget("ip6", "t6", "a6", AddressFamily.INET6);

        WriteResult result = add(target, new SetElement(ip("2001:db8::7"), Duration.ofSeconds(120)));

        assertThat(result.errors()).isEmpty();
        assertThat(elements(target).get(ip("2001:db8::7"))).isCloseTo(120L, within(5L));
    }

    @Test
    void add_inetTableBothFamilies_landInOneWrite() throws Exception {
        set("inet", "fw4", "g4", "type ipv4_addr; flags timeout;");
        set("inet", "fw4", "g6", "type ipv6_addr; flags timeout;");
        NftSetTarget v4 = new NftSetTarget("inet", "fw4", "g4", AddressFamily.INET);
        NftSetTarget v6 = new NftSetTarget("inet", "fw4", "g6", AddressFamily.INET6);

        Map<SetTarget, List<SetError>> errors = writer.write(Map.of(
                v4, List.of(new SetElement(ip("203.0.113.9"), Duration.ofSeconds(60))),
                v6, List.of(new SetElement(ip("2001:db8::9"), Duration.ofSeconds(60)))));

        assertThat(errors.get(v4)).isEmpty();
        assertThat(errors.get(v6)).isEmpty();
        assertThat(elements(v4)).containsOnlyKeys(ip("203.0.113.9"));
        assertThat(elements(v6)).containsOnlyKeys(ip("2001:db8::9"));
    }

    @Test
    void add_existingElement_getsTheNewTimeout() throws Exception {
        set("ip", "t4", "readd", "type ipv4_addr; flags timeout;");
        NftSetTarget target = new NftSetTarget("ip", "t4", "readd", AddressFamily.INET);
        add(target, new SetElement(ip("192.0.2.50"), Duration.ofSeconds(100)));

        add(target, new SetElement(ip("192.0.2.50"), Duration.ofSeconds(5000)));
        assertThat(elements(target).get(ip("192.0.2.50"))).isCloseTo(5000L, within(5L));

        add(target, new SetElement(ip("192.0.2.50"), Duration.ofSeconds(50)));
        assertThat(elements(target).get(ip("192.0.2.50"))).isCloseTo(50L, within(5L));
    }

    @Test
    void add_existingElementSameTimeout_restartsTheClock() throws Exception {
        set("ip", "t4", "clock", "type ipv4_addr; flags timeout;");
        NftSetTarget target = new NftSetTarget("ip", "t4", "clock", AddressFamily.INET);
        add(target, new SetElement(ip("192.0.2.60"), Duration.ofSeconds(60)));
        Thread.sleep(3000);

        add(target, new SetElement(ip("192.0.2.60"), Duration.ofSeconds(60)));

        // Without the refresh the element would expire in at most 57 s.
        assertThat(elements(target).get(ip("192.0.2.60"))).isGreaterThanOrEqualTo(58L);
    }

    @Test
    void add_missingSet_saysHowToCreateIt() throws Exception {
        WriteResult result = add(new NftSetTarget("inet", "fw4", "nosuchset", AddressFamily.INET),
                new SetElement(ip("192.0.2.1"), Duration.ofSeconds(60)));

        assertThat(result.written()).isZero();
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(SetError.Kind.MISSING_SET);
            assertThat(error.message()).isEqualTo("nft set inet fw4 nosuchset does not exist in this network namespace;"
                    + " create it with: nft add set inet fw4 nosuchset '{ type ipv4_addr; flags timeout; size 262144; }'");
        });
    }

    @Test
    void probe_missingTable_namesTheTable() {
        assertThatThrownBy(() -> writer.probe(new NftSetTarget("inet", "nosuchtable", "s", AddressFamily.INET)))
                .isInstanceOf(SetException.class)
                .hasMessageStartingWith("nft table inet nosuchtable does not exist in this network namespace");
    }

    @Test
    void probe_wrongFamily_namesTheKeyType() {
        set("inet", "fw4", "wrong", "type ipv6_addr; flags timeout;");

        assertThatThrownBy(() -> writer.probe(new NftSetTarget("inet", "fw4", "wrong", AddressFamily.INET)))
                .isInstanceOf(SetException.class)
                .hasMessageContaining("has key type ipv6_addr but is configured as family inet");
    }

    @Test
    void add_fullSet_reportsFullAndKeepsTheGoodOnes() throws Exception {
        set("ip", "t4", "small", "type ipv4_addr; flags timeout; size 2;");
        NftSetTarget target = new NftSetTarget("ip", "t4", "small", AddressFamily.INET);

        WriteResult result = add(target, new SetElement(ip("192.0.2.1"), Duration.ofSeconds(60)),
                new SetElement(ip("192.0.2.2"), Duration.ofSeconds(60)),
                new SetElement(ip("192.0.2.3"), Duration.ofSeconds(60)));

        assertThat(result.written()).isEqualTo(2);
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(SetError.Kind.SET_FULL);
            assertThat(error.address()).isEqualTo(ip("192.0.2.3"));
            assertThat(error.message()).contains("nft set ip t4 small", "full", "size 2");
        });
        assertThat(elements(target)).containsOnlyKeys(ip("192.0.2.1"), ip("192.0.2.2"));
    }

    @Test
    void add_fullSet_takesAtMostThreeRoundTripsAndReportsEveryRefusedElement() throws Exception {
        set("ip", "t4", "full4", "type ipv4_addr; flags timeout; size 4;");
        ns.exec("nft", "add element ip t4 full4 { 198.51.100.1 timeout 100s, 198.51.100.2 timeout 100s }");
        NftSetTarget target = new NftSetTarget("ip", "t4", "full4", AddressFamily.INET);
        writer.probe(target);
        List<SetElement> elements = new ArrayList<>();
        for (int i = 1; i <= 38; i++) {
            elements.add(new SetElement(ip("192.0.2." + i), Duration.ofSeconds(600)));
            if (i == 20) { // elements already in a full set still get their new timeout
                elements.add(new SetElement(ip("198.51.100.1"), Duration.ofSeconds(600)));
            }
        }
        elements.add(new SetElement(ip("198.51.100.2"), Duration.ofSeconds(600)));
        long before = writer.roundTrips();

        WriteResult result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> writer.add(target, elements).get());

        assertThat(writer.roundTrips() - before).as("netlink round trips of one write").isLessThanOrEqualTo(3);
        assertThat(result.written()).isEqualTo(4);
        assertThat(result.errors()).hasSize(36).allSatisfy(error -> {
            assertThat(error.kind()).isEqualTo(SetError.Kind.SET_FULL);
            assertThat(error.message()).contains("size 4", "size 262144");
        });
        Map<InetAddress, Long> elementsNow = elements(target);
        assertThat(elementsNow).containsOnlyKeys(ip("192.0.2.1"), ip("192.0.2.2"), ip("198.51.100.1"), ip("198.51.100.2"));
        assertThat(elementsNow.get(ip("198.51.100.2"))).isGreaterThan(500L);
        TargetStats stats = writer.stats().get(target);
        assertThat(stats.fullElements()).isEqualTo(36);
        assertThat(stats.fullWithin(Duration.ofMinutes(1), Instant.now())).isTrue();

        set("ip", "t4", "roomy4", "type ipv4_addr; flags timeout;");
        NftSetTarget roomy = new NftSetTarget("ip", "t4", "roomy4", AddressFamily.INET);
        assertThat(add(roomy, new SetElement(ip("203.0.113.44"), Duration.ofSeconds(60))).errors()).isEmpty();
        assertThat(elements(roomy)).containsOnlyKeys(ip("203.0.113.44"));
    }

    @Test
    void add_kernelDoesNotAcknowledge_reportsItAtTheDeadlineAndSendsNoMore() throws Exception {
        set("ip", "t4", "quiet", "type ipv4_addr; flags timeout;");
        NftSetTarget target = new NftSetTarget("ip", "t4", "quiet", AddressFamily.INET);
        SilencingChannel channel = new SilencingChannel(NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, ns.path()));
        try (NftSetWriter quiet = NftSetWriter.over(channel)) {
            quiet.writeDeadline(Duration.ofMillis(50));
            quiet.probe(target);
            List<SetElement> elements = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) { // more than one batch's 512 KiB (40 bytes each)
                elements.add(new SetElement(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}),
                        Duration.ofSeconds(600)));
            }
            channel.silence(true);
            long before = quiet.roundTrips();

            List<SetError> errors = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> quiet.write(target, elements));

            assertThat(quiet.roundTrips() - before).as("nothing sent after the unacknowledged batch").isEqualTo(1);
            assertThat(errors).hasSize(20_000);
            assertThat(errors.stream().filter(e -> e.kind() == SetError.Kind.UNACKNOWLEDGED)).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.message()).contains("within 50 ms"));
            assertThat(errors.stream().filter(e -> e.kind() == SetError.Kind.IO)).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.message()).contains("not sent"));

            channel.silence(false);
            List<SetError> next = quiet.write(target, List.of(new SetElement(ip("203.0.113.45"), Duration.ofSeconds(60))));
            assertThat(next).isEmpty();
            assertThat(elements(target)).containsKey(ip("203.0.113.45"));
        }
    }

    @Test
    void write_badTargetInBatch_othersStillLand() throws Exception {
        set("ip", "t4", "good", "type ipv4_addr; flags timeout;");
        NftSetTarget good = new NftSetTarget("ip", "t4", "good", AddressFamily.INET);
        NftSetTarget full = new NftSetTarget("ip", "t4", "tiny", AddressFamily.INET);
        set("ip", "t4", "tiny", "type ipv4_addr; flags timeout; size 1;");
        Map<SetTarget, List<SetElement>> batch = new LinkedHashMap<>();
        batch.put(full, List.of(new SetElement(ip("198.51.100.1"), Duration.ofSeconds(60)),
                new SetElement(ip("198.51.100.2"), Duration.ofSeconds(60))));
        batch.put(good, List.of(new SetElement(ip("192.0.2.77"), Duration.ofSeconds(60))));

        Map<SetTarget, List<SetError>> errors = writer.write(batch);

        assertThat(errors.get(good)).isEmpty();
        assertThat(errors.get(full)).singleElement().extracting(SetError::kind).isEqualTo(SetError.Kind.SET_FULL);
        assertThat(elements(good)).containsOnlyKeys(ip("192.0.2.77"));
        assertThat(elements(full)).hasSize(1);
    }

    @Test
    void add_setWithoutTimeout_saysToAddTheFlag() throws Exception {
        set("ip", "t4", "plain", "type ipv4_addr;");
        NftSetTarget target = new NftSetTarget("ip", "t4", "plain", AddressFamily.INET);

        WriteResult result = add(target, new SetElement(ip("192.0.2.5"), Duration.ofSeconds(60)));
        WriteResult permanent = add(target, new SetElement(ip("192.0.2.6"), Duration.ZERO));

        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(SetError.Kind.NO_TIMEOUT_SUPPORT);
            assertThat(error.message()).contains("has no 'flags timeout'");
        });
        assertThat(permanent.errors()).isEmpty();
        assertThat(elements(target)).containsOnlyKeys(ip("192.0.2.6"));
    }

    @Test
    void add_intervalSet_addsTheSingleAddress() throws Exception {
        set("inet", "fw4", "ranges", "type ipv4_addr; flags interval, timeout;");
        NftSetTarget target = new NftSetTarget("inet", "fw4", "ranges", AddressFamily.INET);

        WriteResult result = add(target, new SetElement(ip("192.0.2.10"), Duration.ofSeconds(60)),
                new SetElement(ip("192.0.2.20"), Duration.ofSeconds(60)));

        assertThat(result.errors()).isEmpty();
        assertThat(elements(target)).containsOnlyKeys(ip("192.0.2.10"), ip("192.0.2.20"));
        assertThat(ns.execAllowingFailure("nft", "get element inet fw4 ranges { 192.0.2.11 }").exit()).isNotZero();
        WriteResult again = add(target, new SetElement(ip("192.0.2.10"), Duration.ofSeconds(900)));
        assertThat(again.errors()).isEmpty();
        assertThat(elements(target).get(ip("192.0.2.10"))).isCloseTo(900L, within(5L));
    }

    @Test
    void create_makesTheSet() throws Exception {
        NftSetTarget target = new NftSetTarget("inet", "fw4", "made6", AddressFamily.INET6);

        writer.create(new SetSpec(target, "hash:ip", Duration.ofSeconds(3600), 0, 1000));
        writer.probe(target);
        add(target, new SetElement(ip("2001:db8::42"), Duration.ZERO));

        String listing = ns.exec("nft", "list", "set", "inet", "fw4", "made6");
        assertThat(listing).contains("type ipv6_addr", "size 1000", "timeout 1h");
        assertThat(elements(target).get(ip("2001:db8::42"))).isCloseTo(3600L, within(5L));
    }

    @Test
    void add_thousandsInOneCall_allLand() throws Exception {
        set("ip", "t4", "bulk", "type ipv4_addr; flags timeout;");
        NftSetTarget target = new NftSetTarget("ip", "t4", "bulk", AddressFamily.INET);
        List<SetElement> elements = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            elements.add(new SetElement(InetAddress.getByAddress(new byte[] {10, 2, (byte) (i >> 8), (byte) i}),
                    Duration.ofSeconds(1000)));
        }

        WriteResult result = writer.add(target, elements).get();

        assertThat(result.errors()).isEmpty();
        assertThat(elements(target)).hasSize(5000);
    }

    @Test
    void add_addressInsideExistingInterval_countsAsWrittenAndOthersLand() throws Exception {
        set("ip", "t4", "covered", "type ipv4_addr; flags interval, timeout;");
        ns.exec("nft", "add element ip t4 covered { 198.51.100.0/24 }");
        NftSetTarget target = new NftSetTarget("ip", "t4", "covered", AddressFamily.INET);

        WriteResult result = add(target, new SetElement(ip("198.51.100.20"), Duration.ofSeconds(60)),
                new SetElement(ip("203.0.113.20"), Duration.ofSeconds(60)));

        assertThat(result.errors()).isEmpty();
        assertThat(result.written()).isEqualTo(2);
        assertThat(ns.execAllowingFailure("nft", "get element ip t4 covered { 198.51.100.20 }").exit()).isZero();
        assertThat(ns.execAllowingFailure("nft", "get element ip t4 covered { 203.0.113.20 }").exit()).isZero();
    }
}
