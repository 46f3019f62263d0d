package io.splitroute.sink.ipset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.KernelSets;
import io.splitroute.sink.SetElement;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.TargetStats;
import io.splitroute.sink.TestNamespace;
import io.splitroute.sink.WriteResult;
import io.splitroute.sink.netlink.NetlinkSocket;
import io.splitroute.sink.netlink.SilencingChannel;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IpsetWriter against the real kernel, inside a namespace of its own; checked with {@code ipset list}. */
class IpsetWriterIT {
    private static TestNamespace ns;
    private static IpsetWriter writer;

    @BeforeAll
    static void openNamespace() throws Exception {
        Assumptions.assumeTrue(TestNamespace.available(), "needs root and iproute2");
        ns = TestNamespace.create("ipset");
        writer = IpsetWriter.open(ns.path());
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

    private static Map<InetAddress, Long> members(String set) {
        return KernelSets.ipsetMembers(ns.exec("ipset", "list", set));
    }

    private static WriteResult add(IpsetTarget target, SetElement... elements) throws Exception {
        return writer.add(target, List.of(elements)).get();
    }

    @Test
    void add_ipv4WithTimeout_landsWithThatTimeout() throws Exception {
        ns.exec("ipset", "create", "v4", "hash:ip", "timeout", "0");
        IpsetTarget target = new IpsetTarget("v4", AddressFamily.INET);

        WriteResult result = add(target, new SetElement(ip("192.0.2.1"), Duration.ofSeconds(300)),
                new SetElement(ip("198.51.100.7"), Duration.ofSeconds(600)));

        assertThat(result.errors()).isEmpty();
        assertThat(result.written()).isEqualTo(2);
        Map<InetAddress, Long> members = members("v4");
        assertThat(members.get(ip("192.0.2.1"))).isCloseTo(300L, within(5L));
        assertThat(members.get(ip("198.51.100.7"))).isCloseTo(600L, within(5L));
    }

    @Test
    void add_ipv6ToHashNet_lands() throws Exception {
        ns.exec("ipset", "create", "net6", "hash:net", "family", "inet6", "timeout", "0");
        IpsetTarget target = new IpsetTarget("net6", AddressFamily.INET6);

        WriteResult result = add(target, new SetElement(ip("2001:db8::1"), Duration.ofSeconds(120)));

        assertThat(result.errors()).isEmpty();
        assertThat(members("net6").get(ip("2001:db8::1"))).isCloseTo(120L, within(5L));
    }

    @Test
    void add_existingElement_getsTheNewTimeout() throws Exception {
        ns.exec("ipset", "create", "readd", "hash:ip", "timeout", "0");
        IpsetTarget target = new IpsetTarget("readd", AddressFamily.INET);
        add(target, new SetElement(ip("203.0.113.5"), Duration.ofSeconds(100)));

        WriteResult again = add(target, new SetElement(ip("203.0.113.5"), Duration.ofSeconds(5000)));

        assertThat(again.errors()).isEmpty();
        assertThat(members("readd").get(ip("203.0.113.5"))).isCloseTo(5000L, within(5L));
        add(target, new SetElement(ip("203.0.113.5"), Duration.ofSeconds(50)));
        assertThat(members("readd").get(ip("203.0.113.5"))).isCloseTo(50L, within(5L));
    }

    @Test
    void add_missingSet_saysHowToCreateIt() throws Exception {
        WriteResult result = add(new IpsetTarget("gfwlist", AddressFamily.INET),
                new SetElement(ip("192.0.2.1"), Duration.ofSeconds(60)));

        assertThat(result.written()).isZero();
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(SetError.Kind.MISSING_SET);
            assertThat(error.message()).isEqualTo("ipset gfwlist does not exist in this network namespace; "
                    + "create it with: ipset create gfwlist hash:ip timeout 0 maxelem 262144");
        });
    }

    @Test
    void probe_wrongFamily_namesBothFamilies() {
        ns.exec("ipset", "create", "fam6", "hash:ip", "family", "inet6", "timeout", "0");

        assertThatThrownBy(() -> writer.probe(new IpsetTarget("fam6", AddressFamily.INET)))
                .isInstanceOf(SetException.class)
                .hasMessageContaining("ipset fam6 has family inet6 but is configured as inet");
    }

    @Test
    void add_elementOfOtherFamily_isReportedAndOthersLand() throws Exception {
        ns.exec("ipset", "create", "mixed", "hash:ip", "timeout", "0");
        IpsetTarget target = new IpsetTarget("mixed", AddressFamily.INET);

        WriteResult result = add(target, new SetElement(ip("2001:db8::2"), Duration.ofSeconds(60)),
                new SetElement(ip("192.0.2.2"), Duration.ofSeconds(60)));

        assertThat(result.written()).isEqualTo(1);
        assertThat(result.errors()).singleElement().extracting(SetError::kind).isEqualTo(SetError.Kind.WRONG_FAMILY);
        assertThat(members("mixed")).containsOnlyKeys(ip("192.0.2.2"));
    }

    @Test
    void add_fullSet_reportsFullAndKeepsTheRest() throws Exception {
        ns.exec("ipset", "create", "small", "hash:ip", "timeout", "0", "maxelem", "2");
        IpsetTarget target = new IpsetTarget("small", AddressFamily.INET);

        WriteResult result = add(target, new SetElement(ip("192.0.2.1"), Duration.ofSeconds(60)),
                new SetElement(ip("192.0.2.2"), Duration.ofSeconds(60)),
                new SetElement(ip("192.0.2.3"), Duration.ofSeconds(60)),
                new SetElement(ip("192.0.2.1"), Duration.ofSeconds(900)));

        assertThat(result.written()).isEqualTo(3);
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(SetError.Kind.SET_FULL);
            assertThat(error.address()).isEqualTo(ip("192.0.2.3"));
            assertThat(error.message()).contains("ipset small", "full", "maxelem 2");
        });
        Map<InetAddress, Long> members = members("small");
        assertThat(members).containsOnlyKeys(ip("192.0.2.1"), ip("192.0.2.2"));
        assertThat(members.get(ip("192.0.2.1"))).isCloseTo(900L, within(5L));
    }

    @Test
    void add_fullSet_takesAtMostTwoRoundTripsAndReportsEveryRefusedElement() throws Exception {
        ns.exec("ipset", "create", "tiny", "hash:ip", "timeout", "0", "maxelem", "4");
        ns.exec("ipset", "add", "tiny", "198.51.100.1", "timeout", "100");
        ns.exec("ipset", "add", "tiny", "198.51.100.2", "timeout", "100");
        IpsetTarget target = new IpsetTarget("tiny", AddressFamily.INET);
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

        assertThat(writer.roundTrips() - before).as("netlink round trips of one write").isLessThanOrEqualTo(2);
        assertThat(result.written()).isEqualTo(4);
        assertThat(result.errors()).hasSize(36).allSatisfy(error -> {
            assertThat(error.kind()).isEqualTo(SetError.Kind.SET_FULL);
            assertThat(error.message()).contains("maxelem 4", "ipset create tiny hash:ip timeout 0 maxelem 262144");
        });
        assertThat(result.errors()).extracting(SetError::address).doesNotHaveDuplicates()
                .doesNotContain(ip("192.0.2.1"), ip("192.0.2.2"), ip("198.51.100.1"), ip("198.51.100.2"));
        Map<InetAddress, Long> members = members("tiny");
        assertThat(members).containsOnlyKeys(ip("192.0.2.1"), ip("192.0.2.2"), ip("198.51.100.1"), ip("198.51.100.2"));
        assertThat(members.get(ip("198.51.100.2"))).isCloseTo(600L, within(5L));
        TargetStats stats = writer.stats().get(target);
        assertThat(stats.fullElements()).isEqualTo(36);
        assertThat(stats.fullWithin(Duration.ofMinutes(1), Instant.now())).isTrue();
        assertThat(stats.lastError().kind()).isEqualTo(SetError.Kind.SET_FULL);

        ns.exec("ipset", "create", "roomy", "hash:ip", "timeout", "0");
        IpsetTarget roomy = new IpsetTarget("roomy", AddressFamily.INET);
        WriteResult afterwards = add(roomy, new SetElement(ip("203.0.113.44"), Duration.ofSeconds(60)));
        assertThat(afterwards.errors()).isEmpty();
        assertThat(members("roomy")).containsOnlyKeys(ip("203.0.113.44"));
    }

    @Test
    void add_kernelDoesNotAcknowledge_reportsItAtTheDeadlineAndSendsNoMore() throws Exception {
        ns.exec("ipset", "create", "quiet", "hash:ip", "timeout", "0", "maxelem", "100000");
        IpsetTarget target = new IpsetTarget("quiet", AddressFamily.INET);
        SilencingChannel channel = new SilencingChannel(NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, ns.path()));
        try (IpsetWriter quiet = IpsetWriter.over(channel)) {
            quiet.writeDeadline(Duration.ofMillis(50));
            quiet.probe(target);
            List<SetElement> elements = new ArrayList<>();
            for (int i = 0; i < 12_000; i++) { // more than one send's 256 KiB (32 bytes each)
                elements.add(new SetElement(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}),
                        Duration.ofSeconds(600)));
            }
            channel.silence(true);
            long before = quiet.roundTrips();

            List<SetError> errors = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> quiet.write(target, elements));

            assertThat(quiet.roundTrips() - before).as("nothing sent after the unacknowledged send").isEqualTo(1);
            assertThat(errors).hasSize(12_000);
            List<SetError> unacknowledged = errors.stream().filter(e -> e.kind() == SetError.Kind.UNACKNOWLEDGED).toList();
            assertThat(unacknowledged).isNotEmpty().allSatisfy(e -> assertThat(e.message()).contains("within 50 ms"));
            assertThat(errors.stream().filter(e -> e.kind() == SetError.Kind.IO)).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.message()).contains("not sent"));
            // What was sent did land (the kernel applies it inside send): "may not be in the set" is honest.
            assertThat(members("quiet")).hasSize(unacknowledged.size());

            channel.silence(false);
            List<SetError> next = quiet.write(target, List.of(new SetElement(ip("203.0.113.45"), Duration.ofSeconds(60))));
            assertThat(next).isEmpty();
            assertThat(members("quiet")).containsKey(ip("203.0.113.45"));
        }
    }

    @Test
    void add_setWithoutTimeout_saysToRecreateIt() throws Exception {
        ns.exec("ipset", "create", "notimeout", "hash:ip");
        IpsetTarget target = new IpsetTarget("notimeout", AddressFamily.INET);

        WriteResult result = add(target, new SetElement(ip("192.0.2.9"), Duration.ofSeconds(60)),
                new SetElement(ip("192.0.2.10"), Duration.ofSeconds(60)));

        assertThat(result.written()).isZero();
        assertThat(result.errors()).hasSize(2).allSatisfy(error -> {
            assertThat(error.kind()).isEqualTo(SetError.Kind.NO_TIMEOUT_SUPPORT);
            assertThat(error.message()).contains("without timeout support",
                    "ipset create notimeout hash:ip timeout 0");
        });
        WriteResult permanent = add(target, new SetElement(ip("192.0.2.11"), Duration.ZERO));
        assertThat(permanent.errors()).isEmpty();
        assertThat(members("notimeout")).containsOnlyKeys(ip("192.0.2.11"));
    }

    @Test
    void create_makesTheSetWithTimeoutAndMaxelem() throws Exception {
        IpsetTarget target = new IpsetTarget("created6", AddressFamily.INET6);

        writer.create(new SetSpec(target, "hash:ip", Duration.ofSeconds(3600), 2048, 5000));
        writer.probe(target);

        String listing = ns.exec("ipset", "list", "created6");
        assertThat(listing).contains("Type: hash:ip", "family inet6", "hashsize 2048", "maxelem 5000", "timeout 3600");
        assertThat(writer.stats().get(target).maxElements()).isEqualTo(5000);
    }

    @Test
    void add_thousandsInOneCall_allLand() throws Exception {
        ns.exec("ipset", "create", "bulk", "hash:ip", "timeout", "0", "maxelem", "100000");
        IpsetTarget target = new IpsetTarget("bulk", AddressFamily.INET);
        List<SetElement> elements = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            elements.add(new SetElement(InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i}),
                    Duration.ofSeconds(1000 + i % 7)));
        }

        WriteResult result = writer.add(target, elements).get();

        assertThat(result.errors()).isEmpty();
        assertThat(result.written()).isEqualTo(5000);
        Map<InetAddress, Long> members = members("bulk");
        assertThat(members).hasSize(5000);
        assertThat(members.get(ip("10.1.19.135"))).isCloseTo(1000L + 4999 % 7, within(5L));
    }

    @Test
    void add_thousandsOfIpv6ToHashNet_allLand() throws Exception {
        ns.exec("ipset", "create", "bulk6", "hash:net", "family", "inet6", "timeout", "0", "maxelem", "100000");
        IpsetTarget target = new IpsetTarget("bulk6", AddressFamily.INET6);
        List<SetElement> elements = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            elements.add(new SetElement(ip("2001:db8::1:" + Integer.toHexString(i)), Duration.ofSeconds(7200)));
        }

        WriteResult result = writer.add(target, elements).get();

        assertThat(result.errors()).isEmpty();
        Map<InetAddress, Long> members = members("bulk6");
        assertThat(members).hasSize(3000);
        assertThat(members.get(ip("2001:db8::1:bb7"))).isCloseTo(7200L, within(5L));
    }

    @Test
    void add_onVirtualThread_isRefused() throws Exception {
        IpsetTarget target = new IpsetTarget("v4", AddressFamily.INET);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();

        Thread.ofVirtual().start(() -> {
            try {
                writer.add(target, List.of(new SetElement(ip("192.0.2.99"), Duration.ofSeconds(60))));
            } catch (Throwable t) {
                failure.set(t);
            }
        }).join();

        assertThat(failure.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("virtual thread");
    }
}
