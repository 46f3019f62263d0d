package io.splitroute.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.upstream.tls.TlsOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a group's servers are shown by {@code splitroute check}: URI, binding, TLS name and what it is checked against. */
class GroupSpecTest {

    @Test
    void describeServers_bindingAndTlsNamePerServer() {
        GroupSpec spec = new GroupSpec("clean", List.of("udp://192.0.2.1:53@wg1", "tcp://192.0.2.2",
                "tls://dns.example@192.0.2.3", "https://dns.example/dns-query", "system"), "wg0", 0xca6cL,
                new TlsOptions(Path.of("/etc/splitroute/ca.pem"), List.of(), "sni.example"), null,
                List.of("udp://9.9.9.9:53"));

        assertThat(spec.describeServers()).containsExactly(
                "udp://192.0.2.1:53@wg1 [mark 0xca6c]",
                "tcp://192.0.2.2:53 [interface wg0, mark 0xca6c]",
                "tls://dns.example:853@192.0.2.3 [interface wg0, mark 0xca6c, TLS name sni.example, CAs /etc/splitroute/ca.pem]",
                "https://dns.example:443/dns-query [interface wg0, mark 0xca6c, TLS name sni.example, "
                        + "CAs /etc/splitroute/ca.pem, address from udp://9.9.9.9:53]",
                "system [interface wg0, mark 0xca6c]");
    }

    @Test
    void describeServers_unboundPlainServerIsItsUri() {
        assertThat(GroupSpec.of("isp", List.of("udp://192.0.2.1")).describeServers()).containsExactly("udp://192.0.2.1:53");
    }
}
