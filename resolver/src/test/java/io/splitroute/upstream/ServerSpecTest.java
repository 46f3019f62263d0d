package io.splitroute.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerSpecTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            tls://dns.google@8.8.8.8                      | TLS   | dns.google      | 8.8.8.8     | 853 | -          | -   | tls://dns.google:853@8.8.8.8
            tls://dns.example.net:853@192.0.2.53          | TLS   | dns.example.net | 192.0.2.53  | 853 | -          | -   | tls://dns.example.net:853@192.0.2.53
            tls://dns.example.net:8853                    | TLS   | dns.example.net | -           | 8853| -          | -   | tls://dns.example.net:8853
            tls://DNS.Example.NET@[2001:db8::53]          | TLS   | dns.example.net | 2001:db8::53| 853 | -          | -   | tls://dns.example.net:853@[2001:db8::53]
            tls://1.1.1.1                                 | TLS   | 1.1.1.1         | 1.1.1.1     | 853 | -          | -   | tls://1.1.1.1:853
            tls://[2001:db8::1]:853                       | TLS   | 2001:db8::1     | 2001:db8::1 | 853 | -          | -   | tls://[2001:db8::1]:853
            https://dns.google/dns-query@8.8.4.4          | HTTPS | dns.google      | 8.8.4.4     | 443 | /dns-query | -   | https://dns.google:443/dns-query@8.8.4.4
            https://doh.example:8443/q/dns?x=1            | HTTPS | doh.example     | -           | 8443| /q/dns?x=1 | -   | https://doh.example:8443/q/dns?x=1
            udp://8.8.8.8:53@wg0                          | UDP   | -               | 8.8.8.8     | 53  | -          | wg0 | udp://8.8.8.8:53@wg0
            tcp://[2001:db8::53]@wg-clean.1               | TCP   | -               | 2001:db8::53| 53  | -          | wg-clean.1 | tcp://[2001:db8::53]:53@wg-clean.1
            udp://192.0.2.1                               | UDP   | -               | 192.0.2.1   | 53  | -          | -   | udp://192.0.2.1:53
            """)
    void parse_validUri(String uri, ServerSpec.Protocol protocol, String host, String ip, int port, String path,
                        String iface, String canonical) {
        ServerSpec spec = ServerSpec.parse(uri);

        assertThat(spec.protocol()).isEqualTo(protocol);
        assertThat(spec.host()).isEqualTo(host);
        assertThat(spec.ip()).isEqualTo(ip == null ? null : InetAddress.ofLiteral(ip));
        assertThat(spec.port()).isEqualTo(port);
        assertThat(spec.path()).isEqualTo(path);
        assertThat(spec.iface()).isEqualTo(iface);
        assertThat(spec.needsBootstrap()).isEqualTo(ip == null);
        assertThat(spec.uri()).isEqualTo(canonical);
        assertThat(ServerSpec.parse(spec.uri())).isEqualTo(spec);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            tls://dns.google@wg0                 | 'wg0' after '@' is not an IP address: for tls:// the @ names the address to dial
            https://dns.google/dns-query@wg0     | 'wg0' after '@' is not an IP address: for https://
            udp://8.8.8.8:53@8.8.4.4             | '8.8.4.4' after '@' is an IP address, but for udp:// the @ names the interface
            tcp://8.8.8.8@[2001:db8::1]          | is an IP address, but for tcp://
            udp://8.8.8.8@this-name-is-too-long0 | is not an interface name
            udp://8.8.8.8@wg/0                   | is not an interface name
            udp://dns.google@wg0                 | not an IP address
            https://dns.google                   | missing the path
            https://dns.google@8.8.8.8/dns-query | the @IP goes after the path
            tls://dns.google/dns-query           | tls:// takes no path
            tls://:853@8.8.8.8                   | missing host name
            tls://dns..google@8.8.8.8            | is not a host name or IP address
            tls://dns.google:0@8.8.8.8           | out of range
            tls://dns.google:x@8.8.8.8           | not a number
            tls://2001:db8::1                    | must be in brackets
            quic://dns.google                    | unknown scheme 'quic' (udp, tcp, tls or https)
            dns.google                           | expected udp://IP[:PORT][@IFACE]
            """)
    void parse_invalidUri_messageCarriesValueAndReason(String uri, String reason) {
        assertThatThrownBy(() -> ServerSpec.parse(uri))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + uri + "'")
                .hasMessageContaining(reason);
    }

    @Test
    void groupSpec_badEntry_namesGroupAndEntry() {
        assertThatThrownBy(() -> GroupSpec.of("clean", java.util.List.of("tls://dns.google@8.8.8.8", "udp://x")))
                .hasMessageContaining("upstream group 'clean'").hasMessageContaining("'udp://x'");
        assertThatThrownBy(() -> GroupSpec.of("clean", java.util.List.of("udp://8.8.8.8")).withBinding("wg 0", null))
                .hasMessageContaining("upstream group 'clean'").hasMessageContaining("interface 'wg 0'");
        assertThatThrownBy(() -> GroupSpec.of("clean", java.util.List.of("udp://8.8.8.8")).withBinding(null, 0x1_0000_0000L))
                .hasMessageContaining("mark 4294967296 is out of range");
        assertThatThrownBy(() -> GroupSpec.of("clean", java.util.List.of("tls://dns.google"))
                .withBootstrap(java.util.List.of("tls://dns.google@8.8.8.8")))
                .hasMessageContaining("bootstrap server 'tls://dns.google@8.8.8.8' must be plain");
    }
}
