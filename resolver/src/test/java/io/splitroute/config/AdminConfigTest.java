package io.splitroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code admin:} and {@code query-log:} keys of the config. */
class AdminConfigTest {
    private static SplitrouteConfig parse(String extra) throws ConfigException {
        return ConfigLoader.parse("upstreams: { isp: [\"udp://127.0.0.1:53\"] }\n" + extra, "t.yaml", Path.of("/etc/splitroute"));
    }

    @Test
    void admin_defaultIsLoopback9153NotExplicit() throws Exception {
        AdminConfig admin = parse("").admin();

        assertThat(admin.listen()).hasToString("127.0.0.1:9153");
        assertThat(admin.explicit()).isFalse();
    }

    @Test
    void admin_listenAddressGiven() throws Exception {
        AdminConfig admin = parse("admin: { listen: \"[::1]:9200\" }").admin();

        assertThat(admin.listen()).hasToString("[::1]:9200");
        assertThat(admin.explicit()).isTrue();
    }

    @Test
    void admin_off() throws Exception {
        assertThat(parse("admin: off").admin()).isEqualTo(AdminConfig.OFF);
        assertThat(parse("admin: false").admin().listen()).isNull();
    }

    @Test
    void admin_badAddressReportedWithKeyAndLine() {
        assertThatThrownBy(() -> parse("admin: { listen: \"localhost:9153\" }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.yaml:2: admin.listen: 'localhost:9153' is not an IP address");
    }

    @Test
    void queryLog_defaultOffToStderr() throws Exception {
        assertThat(parse("").queryLog()).isEqualTo(QueryLogConfig.DEFAULT);
    }

    @Test
    void queryLog_onAndFileRelativeToConfig() throws Exception {
        assertThat(parse("query-log: on").queryLog().enabled()).isTrue();
        var log = parse("query-log: { enabled: true, file: queries.jsonl }").queryLog();

        assertThat(log.enabled()).isTrue();
        assertThat(log.file()).isEqualTo(Path.of("/etc/splitroute/queries.jsonl"));
    }

    @Test
    void queryLog_unknownKeyReported() {
        assertThatThrownBy(() -> parse("query-log: { enable: true }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("query-log.enable");
    }
}
