package io.splitroute.unlisted;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.format.CidrFormat;
import io.splitroute.lists.ip.IpRangeTable;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IpListSetTest {
    private static IpRangeTable table(String text) {
        return new CidrFormat().parse("t", "test", text).table();
    }

    private final IpListSet set = IpListSet.of(List.of("a", "b", "missing"), Map.of(
            "a", table("198.51.100.0/25\n"), "b", table("198.51.100.0/24\n2001:db8::/32\n")));

    @Test
    void find_returnsTheFirstListHoldingTheAddress() {
        assertThat(set.find(InetAddress.ofLiteral("198.51.100.1"))).isEqualTo("a");
        assertThat(set.find(InetAddress.ofLiteral("198.51.100.200"))).isEqualTo("b");
        assertThat(set.find(InetAddress.ofLiteral("2001:db8::1"))).isEqualTo("b");
        assertThat(set.find(InetAddress.ofLiteral("192.0.2.1"))).isNull();
        assertThat(set.test(InetAddress.ofLiteral("198.51.100.1"))).isTrue();
    }

    @Test
    void find_ipv4ByItsHash_agreesWithTheTableOnRandomAddresses() {
        IpRangeTable t = table("10.0.0.0/8\n172.16.0.0/12\n192.168.0.0/16\n100.64.0.0/10\n");
        IpListSet one = IpListSet.of(List.of("t"), Map.of("t", t));
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[4];
            random.nextBytes(bytes);
            InetAddress a = InetAddress.ofLiteral((bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "."
                    + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff));
            assertThat(one.test(a)).as(a.toString()).isEqualTo(t.contains(bytes));
        }
    }

    @Test
    void covers_onlyFamiliesTheListsHaveNetworksOf() {
        IpListSet v4only = IpListSet.of(List.of("a"), Map.of("a", table("198.51.100.0/24\n")));

        assertThat(v4only.covers(InetAddress.ofLiteral("192.0.2.1"))).isTrue();
        assertThat(v4only.covers(InetAddress.ofLiteral("2001:db8::1"))).isFalse();
        assertThat(set.covers(InetAddress.ofLiteral("2001:db8::1"))).isTrue();
        assertThat(IpListSet.none().covers(InetAddress.ofLiteral("192.0.2.1"))).isFalse();
        assertThat(set.names()).isEqualTo("a, b, missing");
    }
}
