package io.splitroute.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            udp://192.0.2.1:53      | UDP | 192.0.2.1    | 53   | udp://192.0.2.1:53
            tcp://192.0.2.1:5353    | TCP | 192.0.2.1    | 5353 | tcp://192.0.2.1:5353
            udp://192.0.2.1         | UDP | 192.0.2.1    | 53   | udp://192.0.2.1:53
            UDP://192.0.2.1         | UDP | 192.0.2.1    | 53   | udp://192.0.2.1:53
            udp://[::1]:53          | UDP | ::1          | 53   | udp://[::1]:53
            tcp://[2001:db8::1]     | TCP | 2001:db8::1  | 53   | tcp://[2001:db8::1]:53
            udp://[fe80::1%1]:53    | UDP | fe80::1%1    | 53   | udp://[fe80::1%1]:53
            udp://127.0.0.1:65535   | UDP | 127.0.0.1    | 65535| udp://127.0.0.1:65535
            """)
    void parse_validUri(String uri, UpstreamAddress.Protocol protocol, String ip, int port, String canonical) {
        UpstreamAddress address = UpstreamAddress.parse(uri);

        assertThat(address.protocol()).isEqualTo(protocol);
        assertThat(address.address().getAddress()).isEqualTo(java.net.InetAddress.ofLiteral(ip));
        assertThat(address.address().getPort()).isEqualTo(port);
        assertThat(address.uri()).isEqualTo(canonical);
        assertThat(UpstreamAddress.parse(address.uri())).isEqualTo(address);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            192.0.2.1:53             | expected udp://
            http://192.0.2.1:53      | unknown scheme 'http'
            dot://192.0.2.1:853      | unknown scheme 'dot'
            udp://dns.google:53      | not an IP address
            udp://dns.google         | not an IP address
            udp://1.2.3:53           | not an IP address
            udp://300.1.1.1:53       | not an IP address
            udp://:53                | missing IP address
            udp://192.0.2.1:0        | out of range
            udp://192.0.2.1:65536    | out of range
            udp://192.0.2.1:dns      | not a number
            udp://192.0.2.1:         | not a number
            udp://::1:53             | must be in brackets
            udp://[::1               | missing ']'
            udp://[::1]x             | unexpected 'x'
            udp://[fe80::1%nosuchif0]:53 | not an interface
            """)
    void parse_invalidUri_messageCarriesValueAndReason(String uri, String reason) {
        assertThatThrownBy(() -> UpstreamAddress.parse(uri))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + uri + "'")
                .hasMessageContaining(reason);
    }
}
