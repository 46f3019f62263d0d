package io.splitroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitroute.sets.Cidr;
import io.splitroute.sets.SetsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys that bound what upstream answers can do: never-route, set-max-addresses, upstream-max-pending. */
class TrustConfigTest {
    @TempDir
    Path dir;

    private SplitrouteConfig parse(String extra) throws ConfigException {
        return ConfigLoader.parse("upstreams: { isp: [\"udp://127.0.0.1:53\"] }\n" + extra, "t.yaml", dir);
    }

    @Test
    void defaults() throws Exception {
        SplitrouteConfig config = parse("");

        assertThat(config.sets().maxAddresses()).isEqualTo(SetsConfig.DEFAULT_MAX_ADDRESSES).isEqualTo(32);
        assertThat(config.sets().neverRoute().networks()).isEmpty();
        assertThat(config.sets().neverRoute().files()).isEmpty();
        assertThat(config.upstreamLimits().maxPending()).isEqualTo(2000);
    }

    @Test
    void values_read() throws Exception {
        Files.writeString(dir.resolve("wg0.conf"), "[Peer]\nEndpoint = 203.0.113.201:51820\nEndpoint = vps.example:1\n");
        SplitrouteConfig config = parse("""
                never-route: [203.0.113.200/32, "2001:db8::/32", 198.51.100.7]
                never-route-wireguard: wg0.conf
                set-max-addresses: 8
                upstream-max-pending: 500
                """);

        assertThat(config.sets().neverRoute().networks()).extracting(Cidr::toString)
                .containsExactly("203.0.113.200/32", "2001:db8:0:0:0:0:0:0/32", "198.51.100.7/32");
        assertThat(config.sets().neverRoute().files()).containsExactly(dir.resolve("wg0.conf"));
        assertThat(config.sets().neverRoute().endpoints()).extracting(Cidr::toString).containsExactly("203.0.113.201/32");
        assertThat(config.sets().neverRoute().unused()).singleElement().asString().contains("vps.example");
        assertThat(config.sets().maxAddresses()).isEqualTo(8);
        assertThat(config.upstreamLimits().maxPending()).isEqualTo(500);
    }

    @Test
    void exampleConfig_showsTheKeysWithTheirDefaults() throws Exception {
        SplitrouteConfig example = ConfigLoader.load(Path.of("../config/splitroute.yaml"));

        assertThat(example.sets().maxAddresses()).isEqualTo(SetsConfig.DEFAULT_MAX_ADDRESSES);
        assertThat(example.sets().neverRoute().networks()).isEmpty();
        assertThat(example.upstreamLimits().maxPending()).isEqualTo(2000);
    }

    @Test
    void badValues_eachReportedWithKeyAndLine() {
        assertThatThrownBy(() -> parse("""
                never-route: [203.0.113.200/33, vps.example.net]
                never-route-wireguard: [missing.conf]
                set-max-addresses: 0
                upstream-max-pending: many
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.yaml:2: never-route[0]: prefix /33")
                .hasMessageContaining("t.yaml:2: never-route[1]: 'vps.example.net' is not an IP address")
                .hasMessageContaining("t.yaml:3: never-route-wireguard: cannot read " + dir.resolve("missing.conf")
                        + ": no such file")
                .hasMessageContaining("t.yaml:4: set-max-addresses: must be between 1 and 4096, got 0")
                .hasMessageContaining("t.yaml:5: upstream-max-pending: expected a whole number, got 'many'");
    }
}
