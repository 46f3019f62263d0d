package io.splitroute.lists.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IpRangeTableTest {
    private static int v4(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    private static IpRangeTable table(IpPrefix... prefixes) {
        IpRangeTable.Builder b = IpRangeTable.builder();
        for (IpPrefix p : prefixes) {
            b.add(p);
        }
        return b.build();
    }

    /** The reference: an address is in the list if some network's mask of it equals the network. */
    private static boolean naiveV4(List<IpPrefix> prefixes, int address) {
        for (IpPrefix p : prefixes) {
            if (!p.ipv6()) {
                int mask = p.length() == 0 ? 0 : -1 << (32 - p.length());
                if ((address & mask) == p.ipv4Address()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean naiveV6(List<IpPrefix> prefixes, long hi, long lo) {
        for (IpPrefix p : prefixes) {
            if (p.ipv6() && (hi & IpPrefix.mask64(p.length())) == p.hi() && (lo & IpPrefix.mask64(p.length() - 64)) == p.lo()) {
                return true;
            }
        }
        return false;
    }

    /** A random IPv4 network, its address drawn near one of a few clusters so that networks overlap and touch. */
    private static IpPrefix randomV4(SplittableRandom r) {
        int length = r.nextInt(8, 33);
        int address = (r.nextInt(4) << 30) | (r.nextInt(64) << 20) | r.nextInt(1 << 20);
        int mask = -1 << (32 - length);
        return IpPrefix.ipv4(address & mask, length);
    }

    @Test
    void contains_equalsNaiveScanOnRandomIpv4() {
        SplittableRandom r = new SplittableRandom(20);
        for (int round = 0; round < 20; round++) {
            List<IpPrefix> prefixes = new ArrayList<>();
            int n = r.nextInt(1, 2000);
            for (int i = 0; i < n; i++) {
                prefixes.add(randomV4(r));
            }
            IpRangeTable t = table(prefixes.toArray(IpPrefix[]::new));
            for (int i = 0; i < 20_000; i++) {
                // half drawn uniformly, half at or next to a network's first or last address
                IpPrefix near = prefixes.get(r.nextInt(prefixes.size()));
                int address = switch (r.nextInt(4)) {
                    case 0 -> r.nextInt();
                    case 1 -> near.ipv4Address() + r.nextInt(-1, 2);
                    case 2 -> near.ipv4Last() + r.nextInt(-1, 2);
                    default -> (r.nextInt(4) << 30) | (r.nextInt(64) << 20) | r.nextInt(1 << 20);
                };
                assertThat(t.contains(address)).as("%s in %d networks", Integer.toUnsignedString(address), n)
                        .isEqualTo(naiveV4(prefixes, address));
            }
        }
    }

    @Test
    void contains_equalsNaiveScanOnRandomIpv6() {
        SplittableRandom r = new SplittableRandom(6);
        for (int round = 0; round < 10; round++) {
            List<IpPrefix> prefixes = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int length = r.nextInt(16, 129);
                long hi = 0x2001_0db8_0000_0000L | ((long) r.nextInt(4) << 24) | r.nextInt(1 << 8);
                long lo = r.nextBoolean() ? 0 : r.nextLong();
                prefixes.add(IpPrefix.ipv6(hi & IpPrefix.mask64(length), lo & IpPrefix.mask64(length - 64), length));
            }
            IpRangeTable t = table(prefixes.toArray(IpPrefix[]::new));
            for (int i = 0; i < 20_000; i++) {
                IpPrefix near = prefixes.get(r.nextInt(prefixes.size()));
                long hi = r.nextBoolean() ? near.hi() : (0x2001_0db8_0000_0000L | ((long) r.nextInt(4) << 24) | r.nextInt(1 << 8));
                long lo = switch (r.nextInt(3)) {
                    case 0 -> r.nextLong();
                    case 1 -> near.lo() - 1;
                    default -> near.ipv6LastLo() + r.nextInt(0, 2);
                };
                assertThat(t.contains(hi, lo)).isEqualTo(naiveV6(prefixes, hi, lo));
            }
        }
    }

    @Test
    void contains_ipv4EdgePrefixes() {
        IpRangeTable all = table(IpPrefix.ipv4(0, 0));
        assertThat(all.contains(0)).isTrue();
        assertThat(all.contains(-1)).isTrue();
        assertThat(all.contains(v4(128, 0, 0, 0))).isTrue();
        assertThat(all.contains(0L, 0L)).as("an IPv4 /0 holds no IPv6 address").isFalse();

        IpRangeTable hosts = table(IpPrefix.ipv4(v4(255, 255, 255, 255), 32), IpPrefix.ipv4(0, 32), IpPrefix.ipv4(v4(10, 0, 0, 1), 32));
        assertThat(hosts.contains(-1)).isTrue();
        assertThat(hosts.contains(0)).isTrue();
        assertThat(hosts.contains(v4(10, 0, 0, 1))).isTrue();
        assertThat(hosts.contains(v4(10, 0, 0, 0))).isFalse();
        assertThat(hosts.contains(v4(10, 0, 0, 2))).isFalse();
        assertThat(hosts.contains(v4(255, 255, 255, 254))).isFalse();
        assertThat(hosts.ipv4Ranges()).isEqualTo(3);
    }

    @Test
    void build_mergesAdjacentAndOverlappingNetworks() {
        IpRangeTable t = table(IpPrefix.ipv4(v4(10, 0, 0, 0), 25), IpPrefix.ipv4(v4(10, 0, 0, 128), 25), // adjacent
                IpPrefix.ipv4(v4(10, 0, 1, 0), 24), // adjacent to the merged /24
                IpPrefix.ipv4(v4(10, 0, 0, 0), 16), IpPrefix.ipv4(v4(10, 0, 5, 0), 24), // inside the /16
                IpPrefix.ipv4(v4(10, 2, 0, 0), 16)); // a gap of 10.1/16 before it

        assertThat(t.ipv4Ranges()).isEqualTo(2);
        assertThat(t.prefixCount()).isEqualTo(6);
        assertThat(t.contains(v4(10, 0, 255, 255))).isTrue();
        assertThat(t.contains(v4(10, 1, 0, 0))).isFalse();
        assertThat(t.contains(v4(10, 2, 0, 0))).isTrue();
        assertThat(t.contains(v4(10, 2, 255, 255))).isTrue();
        assertThat(t.contains(v4(10, 3, 0, 0))).isFalse();
        assertThat(t.contains(v4(9, 255, 255, 255))).isFalse();
    }

    @Test
    void contains_ipv6EdgePrefixes() throws Exception {
        IpRangeTable all = table(IpPrefix.ipv6(0, 0, 0));
        assertThat(all.contains(0, 0)).isTrue();
        assertThat(all.contains(-1L, -1L)).isTrue();
        assertThat(all.contains(0)).as("an IPv6 ::/0 holds no IPv4 address").isFalse();

        IpRangeTable hosts = table(IpPrefix.ipv6(-1L, -1L, 128), IpPrefix.ipv6(0, 1, 128),
                IpPrefix.ipv6(0x2001_0db8_0000_0000L, -1L, 128), IpPrefix.ipv6(0x2001_0db8_0000_0001L, 0, 128));
        assertThat(hosts.contains(-1L, -1L)).isTrue();
        assertThat(hosts.contains(-1L, -2L)).isFalse();
        assertThat(hosts.contains(0, 1)).isTrue();
        assertThat(hosts.contains(0, 0)).isFalse();
        assertThat(hosts.contains(0x2001_0db8_0000_0000L, -1L)).isTrue();
        assertThat(hosts.contains(0x2001_0db8_0000_0001L, 0)).isTrue();
        assertThat(hosts.ipv6Ranges()).as("the two across the 64-bit carry are adjacent").isEqualTo(3);

        IpRangeTable doc = table(IpPrefix.ipv6(0x2001_0db8_0000_0000L, 0, 32), IpPrefix.ipv6(0x2001_0db8_0001_0000L, 0, 48));
        assertThat(doc.contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(doc.contains(InetAddress.getByName("2001:db9::"))).isFalse();
        assertThat(doc.contains(InetAddress.getByName("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"))).isFalse();
        assertThat(doc.ipv6Ranges()).isEqualTo(1);
    }

    @Test
    void contains_inetAddressOfEitherFamily() throws Exception {
        IpRangeTable t = table(IpPrefix.ipv4(v4(192, 0, 2, 0), 24), IpPrefix.ipv6(0x2001_0db8_0000_0000L, 0, 32));

        assertThat(t.contains(InetAddress.getByName("192.0.2.200"))).isTrue();
        assertThat(t.contains(InetAddress.getByName("192.0.3.1"))).isFalse();
        assertThat(t.contains(InetAddress.getByName("2001:db8::53"))).isTrue();
        assertThat(t.contains(InetAddress.getByName("2001:db9::53"))).isFalse();
        assertThat(IpRangeTable.empty().contains(InetAddress.getByName("192.0.2.200"))).isFalse();
    }
}
