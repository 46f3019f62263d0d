package io.splitroute.sets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tunnel endpoint, read from a wg-quick config or the routing scripts' settings file. */
class WireguardEndpointsTest {
    @Test
    void wgQuickConfig_endpointAddressesOfEveryPeer_hostNameReportedWithItsLine() {
        WireguardEndpoints.Found found = WireguardEndpoints.read("""
                [Interface]
                PrivateKey = abc=
                Address = 10.200.0.2/24
                [Peer]
                Endpoint = 203.0.113.200:51820
                [Peer]
                endpoint=[2001:db8::200]:51820   # a comment
                [Peer]
                Endpoint = vps.example.net:51820
                # Endpoint = 192.0.2.99:51820
                """);

        assertThat(found.networks()).extracting(Cidr::toString)
                .containsExactly("203.0.113.200/32", "2001:db8:0:0:0:0:0:200/128");
        assertThat(found.unused()).singleElement().asString()
                .contains("line 9").contains("vps.example.net").contains("never-route");
    }

    @Test
    void settingsFile_wgEndpointAddressesAndNetworks() {
        WireguardEndpoints.Found found = WireguardEndpoints.read("""
                WG_IF=wg0
                WG_ENDPOINT="203.0.113.200 198.51.100.0/24"
                export WG_ENDPOINT='2001:db8::/32'
                CLEAN_DNS="8.8.8.8"
                """);

        assertThat(found.networks()).extracting(Cidr::toString)
                .containsExactly("203.0.113.200/32", "198.51.100.0/24", "2001:db8:0:0:0:0:0:0/32");
        assertThat(found.unused()).isEmpty();
    }

    @Test
    void variable_fromTheEnvironment() {
        assertThat(WireguardEndpoints.variable("203.0.113.200  bad").networks()).extracting(Cidr::toString)
                .containsExactly("203.0.113.200/32");
        assertThat(WireguardEndpoints.variable("203.0.113.200  bad").unused()).hasSize(1);
        assertThat(WireguardEndpoints.read("nothing here").networks()).isEqualTo(List.of());
    }
}
