package io.splitroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code tcp:} keys of the config. */
class TcpConfigTest {
    private static TcpConfig parse(String tcp) throws ConfigException {
        return ConfigLoader.parse("upstreams: { isp: [\"udp://127.0.0.1:53\"] }\n" + tcp, "t.yaml", Path.of("/etc"))
                .tcp();
    }

    @Test
    void defaults() throws Exception {
        assertThat(parse("")).isEqualTo(new TcpConfig(Duration.ofSeconds(10), 256, 16, Duration.ofSeconds(5), 32));
    }

    @Test
    void everyKeyRead() throws Exception {
        TcpConfig tcp = parse("tcp: { idle-timeout: 30s, max-connections: 64, max-per-client: 4, frame-timeout: 2s, "
                + "max-inflight: 8 }");

        assertThat(tcp).isEqualTo(new TcpConfig(Duration.ofSeconds(30), 64, 4, Duration.ofSeconds(2), 8));
    }

    @Test
    void perClientLeftOut_followsALowerTotal() throws Exception {
        assertThat(parse("tcp: { max-connections: 8 }").maxPerClient()).isEqualTo(8);
    }

    @Test
    void perClientOverTheTotal_reportedWithKeyAndLine() {
        assertThatThrownBy(() -> parse("tcp: { max-connections: 8, max-per-client: 9 }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.yaml:2: tcp: max-per-client 9 is not between 1 and max-connections (8)");
    }

    @Test
    void zeroFrameTimeoutAndInflight_reported() {
        assertThatThrownBy(() -> parse("tcp: { frame-timeout: 0s, max-inflight: 0 }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tcp.frame-timeout: must be more than 0")
                .hasMessageContaining("tcp.max-inflight: must be between 1 and 1024, got 0");
    }
}
