package io.splitroute.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** IPv6 addresses and networks read from the config print in one form everywhere: RFC 5952's. */
class AddressFormTest {
    private static SplitrouteConfig parse(String extra) throws ConfigException {
        return ConfigLoader.parse("upstreams: { isp: [\"udp://127.0.0.1:53\"] }\n" + extra, "t.yaml", Path.of("/etc/splitroute"));
    }

    @Test
    void acl_ipv6NetworksPrintCompressedAndLowerCase() throws Exception {
        SplitrouteConfig config = parse("acl: [\"::1/128\", \"0:0:0:0:0:0:0:1\", \"FE80:0:0::/10\", \"2001:DB8::0:1/64\", \"10.0.0.0/8\"]");

        assertThat(config.acl()).containsExactly("::1/128", "::1/128", "fe80::/10", "2001:db8::1/64", "10.0.0.0/8");
    }

    @Test
    void acl_defaultAndConfiguredUseTheSameForm() throws Exception {
        SplitrouteConfig config = parse("acl: " + SplitrouteConfig.DEFAULT_ACL.stream().map(n -> "\"" + n + "\"").toList());

        assertThat(config.acl()).isEqualTo(SplitrouteConfig.DEFAULT_ACL);
    }

    @Test
    void listen_ipv6AddressPrintsCompressedInBrackets() {
        assertThat(ListenAddress.parse("[0:0:0:0:0:0:0:1]:5300")).hasToString("[::1]:5300");
        assertThat(ListenAddress.parse("2001:DB8::53")).hasToString("[2001:db8::53]:53");
    }
}
