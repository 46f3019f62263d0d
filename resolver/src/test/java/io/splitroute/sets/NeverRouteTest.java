package io.splitroute.sets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The never-route networks a config compiles to: defaults, own addresses, endpoints, configured networks. */
class NeverRouteTest {
    private static InetAddress ip(String text) {
        return Cidr.literal(text, text);
    }

    @Test
    void everySourceIncluded() {
        NeverRouteConfig config = new NeverRouteConfig(List.of(Cidr.parse("198.51.100.0/24")),
                List.of(Path.of("wg0.conf")), List.of(Cidr.parse("203.0.113.201")), List.of("line 3: a host name"));

        Networks n = NeverRoute.compile(config, List.of(ip("192.0.2.53"), ip("2001:db8::53")), "203.0.113.202");

        for (String blocked : List.of("127.0.0.1", "192.0.2.53", "2001:db8::53", "203.0.113.201", "203.0.113.202",
                "198.51.100.77")) {
            assertThat(n.contains(ip(blocked))).as(blocked).isTrue();
        }
        assertThat(n.contains(ip("192.0.2.54"))).isFalse();
        assertThat(n.contains(ip("203.0.113.203"))).isFalse();
    }

    @Test
    void wildcardListen_standsForTheInterfaceAddresses() throws Exception {
        Networks n = NeverRoute.compile(NeverRouteConfig.DEFAULT, List.of(ip("0.0.0.0")), null);

        java.net.NetworkInterface.networkInterfaces().flatMap(java.net.NetworkInterface::inetAddresses)
                .forEach(a -> assertThat(n.contains(a)).as(a.getHostAddress()).isTrue());
        assertThat(n.contains(ip("192.0.2.1"))).isFalse();
    }
}
