package io.splitroute.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link SetWriter#inspect} through a {@link KernelSetWriter}, against sets made with the CLIs in a namespace of its own. */
class SetInspectionIT {
    private static TestNamespace ns;
    private static KernelSetWriter writer;

    @BeforeAll
    static void openNamespace() {
        Assumptions.assumeTrue(TestNamespace.available(), "needs root and iproute2");
        ns = TestNamespace.create("inspect");
        ns.exec("ipset", "create", "gfw4", "hash:ip", "timeout", "0", "maxelem", "1000");
        ns.exec("ipset", "add", "gfw4", "192.0.2.1", "timeout", "300");
        ns.exec("ipset", "add", "gfw4", "192.0.2.2", "timeout", "300");
        ns.exec("ipset", "create", "nets", "hash:net", "timeout", "0");
        ns.exec("ipset", "add", "nets", "198.51.100.0/24");
        ns.exec("ipset", "create", "plain", "hash:ip");
        ns.exec("ipset", "create", "six", "hash:ip", "family", "inet6", "timeout", "0");
        ns.exec("ipset", "create", "ports", "hash:ip,port", "timeout", "0");
        ns.execWithInput("""
                table inet fw4 {
                    set gfw6 { type ipv6_addr; flags timeout; size 500; elements = { 2001:db8::1 timeout 300s } }
                    set ranges { type ipv4_addr; flags interval; elements = { 203.0.113.0/25 } }
                    set constant4 { type ipv4_addr; flags constant; elements = { 192.0.2.9 } }
                }
                """, "nft", "-f", "-");
        writer = KernelSetWriter.open(ns.path());
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

    @Test
    void inspect_ipset_describesItAndTellsMembers() throws Exception {
        SetInspection set = writer.inspect(new IpsetTarget("gfw4", AddressFamily.INET),
                List.of(ip("192.0.2.1"), ip("192.0.2.3"), ip("2001:db8::1")));

        assertThat(set.exists()).isTrue();
        assertThat(set.usable()).isTrue();
        assertThat(set.family()).isEqualTo(AddressFamily.INET);
        assertThat(set.type()).isEqualTo("hash:ip");
        assertThat(set.networks()).isFalse();
        assertThat(set.timeoutSupport()).isTrue();
        assertThat(set.elements()).isEqualTo(2);
        assertThat(set.capacity()).isEqualTo(1000);
        assertThat(set.holds(ip("192.0.2.1"))).isTrue();
        assertThat(set.members()).containsEntry(ip("192.0.2.3"), false).containsEntry(ip("2001:db8::1"), false);
    }

    @Test
    void inspect_ipsetHashNet_holdsAnAddressInsideItsNetwork() throws Exception {
        SetInspection set = writer.inspect(new IpsetTarget("nets", AddressFamily.INET),
                List.of(ip("198.51.100.77"), ip("198.51.101.1")));

        assertThat(set.type()).isEqualTo("hash:net");
        assertThat(set.networks()).isTrue();
        assertThat(set.holds(ip("198.51.100.77"))).isTrue();
        assertThat(set.members()).containsEntry(ip("198.51.101.1"), false);
    }

    @Test
    void inspect_ipsetWithoutTimeout_saysSo() throws Exception {
        SetInspection set = writer.inspect(new IpsetTarget("plain", AddressFamily.INET), List.of());

        assertThat(set.exists()).isTrue();
        assertThat(set.timeoutSupport()).isFalse();
        assertThat(set.capacity()).isEqualTo(65536);
    }

    @Test
    void inspect_missingIpset_saysHowToCreateIt() throws Exception {
        SetInspection set = writer.inspect(new IpsetTarget("nosuch", AddressFamily.INET), List.of(ip("192.0.2.1")));

        assertThat(set.exists()).isFalse();
        assertThat(set.usable()).isFalse();
        assertThat(set.problem()).contains("ipset create nosuch hash:ip timeout 0 maxelem 262144");
        assertThat(set.members()).isEmpty();
    }

    @Test
    void inspect_ipsetOfTheOtherFamilyOrType_namesTheProblem() throws Exception {
        SetInspection six = writer.inspect(new IpsetTarget("six", AddressFamily.INET), List.of());
        SetInspection ports = writer.inspect(new IpsetTarget("ports", AddressFamily.INET), List.of());

        assertThat(six.exists()).isTrue();
        assertThat(six.family()).isEqualTo(AddressFamily.INET6);
        assertThat(six.problem()).contains("has family inet6 but is configured as inet");
        assertThat(ports.type()).isEqualTo("hash:ip,port");
        assertThat(ports.problem()).contains("is of type hash:ip,port");
    }

    @Test
    void inspect_nftSet_describesItAndTellsMembers() throws Exception {
        SetInspection set = writer.inspect(new NftSetTarget("inet", "fw4", "gfw6", AddressFamily.INET6),
                List.of(ip("2001:db8::1"), ip("2001:db8::2"), ip("192.0.2.1")));

        assertThat(set.usable()).isTrue();
        assertThat(set.family()).isEqualTo(AddressFamily.INET6);
        assertThat(set.type()).isEqualTo("ipv6_addr");
        assertThat(set.timeoutSupport()).isTrue();
        assertThat(set.capacity()).isEqualTo(500);
        assertThat(set.elements()).isEqualTo(-1);
        assertThat(set.holds(ip("2001:db8::1"))).isTrue();
        assertThat(set.members()).containsEntry(ip("2001:db8::2"), false).containsEntry(ip("192.0.2.1"), false);
    }

    @Test
    void inspect_nftIntervalSet_holdsAnAddressInsideAnInterval() throws Exception {
        SetInspection set = writer.inspect(new NftSetTarget("inet", "fw4", "ranges", AddressFamily.INET),
                List.of(ip("203.0.113.100"), ip("203.0.113.200")));

        assertThat(set.networks()).isTrue();
        assertThat(set.timeoutSupport()).isFalse();
        assertThat(set.capacity()).isEqualTo(-1);
        assertThat(set.holds(ip("203.0.113.100"))).isTrue();
        assertThat(set.members()).containsEntry(ip("203.0.113.200"), false);
    }

    @Test
    void inspect_missingNftSetOrTable_saysWhichAndHowToCreateIt() throws Exception {
        SetInspection set = writer.inspect(new NftSetTarget("inet", "fw4", "nosuch", AddressFamily.INET), List.of());
        SetInspection table = writer.inspect(new NftSetTarget("inet", "notable", "s", AddressFamily.INET), List.of());

        assertThat(set.exists()).isFalse();
        assertThat(set.problem()).contains("nft add set inet fw4 nosuch '{ type ipv4_addr; flags timeout; size 262144; }'");
        assertThat(table.exists()).isFalse();
        assertThat(table.problem()).startsWith("nft table inet notable does not exist");
    }

    @Test
    void inspect_constantNftSet_namesTheProblem() throws Exception {
        SetInspection set = writer.inspect(new NftSetTarget("inet", "fw4", "constant4", AddressFamily.INET),
                List.of(ip("192.0.2.9")));

        assertThat(set.exists()).isTrue();
        assertThat(set.problem()).contains("is constant");
        assertThat(set.holds(ip("192.0.2.9"))).isTrue();
    }

    @Test
    void inspect_afterAWrite_seesTheWrittenAddress() throws Exception {
        ns.exec("ipset", "create", "written", "hash:ip", "timeout", "0");
        IpsetTarget target = new IpsetTarget("written", AddressFamily.INET);
        writer.add(target, List.of(new SetElement(ip("192.0.2.50"), Duration.ofSeconds(60)))).get();

        assertThat(writer.inspect(target, List.of(ip("192.0.2.50"))).holds(ip("192.0.2.50"))).isTrue();
    }
}
