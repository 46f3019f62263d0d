package io.splitroute.sets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The never-route matcher: prefixes of both families, merged ranges, and agreement with a plain reference. */
class NetworksTest {
    private static InetAddress ip(String text) {
        return Cidr.literal(text, text);
    }

    private static Networks of(String... cidrs) {
        return Networks.of(java.util.Arrays.stream(cidrs).map(Cidr::parse).toList());
    }

    @Test
    void defaults_coverLoopbackUnspecifiedMulticastLinkLocalAndMapped() {
        Networks defaults = Networks.of(NeverRoute.DEFAULTS);

        for (String blocked : List.of("127.0.0.1", "127.255.255.254", "0.0.0.0", "224.0.0.251", "239.255.255.250",
                "169.254.10.1", "255.255.255.255", "::1", "::", "ff02::fb", "fe80::1", "::ffff:203.0.113.66")) {
            assertThat(defaults.contains(ip(blocked))).as(blocked).isTrue();
        }
        for (String routed : List.of("192.0.2.1", "203.0.113.66", "128.0.0.1", "223.255.255.255", "240.0.0.1",
                "2001:db8::1", "fec0::1", "::2")) {
            assertThat(defaults.contains(ip(routed))).as(routed).isFalse();
        }
    }

    @Test
    void prefixes_boundariesExact() {
        Networks n = of("203.0.113.200/32", "198.51.100.64/26", "2001:db8:1::/48", "2001:db8:ffff::1/128");

        assertThat(n.contains(ip("203.0.113.200"))).isTrue();
        assertThat(n.contains(ip("203.0.113.201"))).isFalse();
        assertThat(n.contains(ip("198.51.100.63"))).isFalse();
        assertThat(n.contains(ip("198.51.100.64"))).isTrue();
        assertThat(n.contains(ip("198.51.100.127"))).isTrue();
        assertThat(n.contains(ip("198.51.100.128"))).isFalse();
        assertThat(n.contains(ip("2001:db8:1:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(n.contains(ip("2001:db8:2::"))).isFalse();
        assertThat(n.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(n.contains(ip("2001:db8:ffff::2"))).isFalse();
    }

    @Test
    void overlapsMerged_hostBitsIgnored_wholeSpace() {
        Networks n = of("10.0.0.0/8", "10.1.2.3/16", "10.255.0.0/16", "11.0.0.0/8");
        assertThat(n.ranges()).isEqualTo(2);
        assertThat(n.contains(ip("10.200.1.1"))).isTrue();
        assertThat(of("0.0.0.0/0").contains(ip("255.255.255.255"))).isTrue();
        assertThat(of("::/0").contains(ip("ffff::1"))).isTrue();
        assertThat(of("::/0").contains(ip("192.0.2.1"))).as("families stay apart").isFalse();
        assertThat(Networks.NONE.contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void randomNetworks_agreeWithAPlainScan() {
        Random random = new Random(42);
        List<Cidr> cidrs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            cidrs.add(random.nextBoolean() ? Cidr.parse(v4(random) + "/" + (8 + random.nextInt(25)))
                    : Cidr.parse(v6(random) + "/" + (16 + random.nextInt(113))));
        }
        Networks n = Networks.of(cidrs);
        for (int i = 0; i < 20_000; i++) {
            InetAddress probe = i % 2 == 0 ? ip(v4(random)) : ip(v6(random));
            if (i % 3 == 0) { // near a network, where mistakes live
                Cidr c = cidrs.get(random.nextInt(cidrs.size()));
                probe = ip(c.address().getHostAddress());
            }
            assertThat(n.contains(probe)).as(probe.getHostAddress()).isEqualTo(scan(cidrs, probe));
        }
    }

    @Test
    void badText_rejectedWithTheText() {
        assertThatThrownBy(() -> Cidr.parse("vps.example.net")).hasMessageContaining("'vps.example.net'");
        assertThatThrownBy(() -> Cidr.parse("203.0.113.0/33")).hasMessageContaining("/33");
        assertThatThrownBy(() -> Cidr.parse("203.0.113.0/x")).hasMessageContaining("'203.0.113.0/x'");
    }

    private static boolean scan(List<Cidr> cidrs, InetAddress a) {
        BigInteger x = new BigInteger(1, a.getAddress());
        for (Cidr c : cidrs) {
            byte[] b = c.address().getAddress();
            if (b.length != a.getAddress().length) {
                continue;
            }
            int bits = b.length * 8;
            BigInteger base = new BigInteger(1, b).shiftRight(bits - c.prefix());
            if (x.shiftRight(bits - c.prefix()).equals(base)) {
                return true;
            }
        }
        return false;
    }

    private static String v4(Random r) {
        return r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
    }

    private static String v6(Random r) {
        StringBuilder s = new StringBuilder(Integer.toHexString(0x2000 + r.nextInt(0x100)));
        for (int i = 0; i < 7; i++) {
            s.append(':').append(Integer.toHexString(r.nextInt(4) == 0 ? 0 : r.nextInt(0x10000)));
        }
        return s.toString();
    }
}
