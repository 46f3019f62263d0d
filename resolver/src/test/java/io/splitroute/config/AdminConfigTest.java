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

    @Test
    void queryLog_sizeCapAndKept() throws Exception {
        var log = parse("query-log: { file: q.jsonl, max-size: 2MiB, keep: 3 }").queryLog();

        assertThat(log.maxSize()).isEqualTo(2L << 20);
        assertThat(log.keep()).isEqualTo(3);
        assertThat(parse("query-log: { max-size: 512k }").queryLog().maxSize()).isEqualTo(512L << 10);
        assertThat(parse("").queryLog().maxSize()).isEqualTo(10L << 20);
        assertThat(parse("").queryLog().keep()).isEqualTo(5);
    }

    @Test
    void queryLog_badSizeAndKeepReported() {
        assertThatThrownBy(() -> parse("query-log: { max-size: lots, keep: 101 }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.yaml:2: query-log.max-size: expected a size such as 10MiB")
                .hasMessageContaining("query-log.keep: must be between 0 and 100, got 101");
        assertThatThrownBy(() -> parse("query-log: { max-size: 100 }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("query-log.max-size: must be at least 4k");
    }

    @Test
    void admin_offLoopbackWithoutAllow_startUpRefusedSayingWhatToAdd() {
        assertThatThrownBy(() -> parse("admin: { listen: \"192.168.1.1:9153\" }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.yaml:2: admin: listen 192.168.1.1:9153 is off loopback: name the networks "
                        + "allowed to reach it, such as allow: [\"192.168.1.0/24\"]");
        assertThatThrownBy(() -> parse("admin: { listen: \"0.0.0.0:9153\", allow: [] }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allow is empty");
    }

    @Test
    void admin_offLoopbackWithAllowTokenAndNames() throws Exception {
        AdminConfig admin = parse("admin: { listen: \"192.168.1.1:9153\", allow: [192.168.1.0/24, 10.0.0.1], "
                + "token-file: admin.token, names: [router.lan] }").admin();

        assertThat(admin.allow()).containsExactly("192.168.1.0/24", "10.0.0.1/32");
        assertThat(admin.tokenFile()).isEqualTo(Path.of("/etc/splitroute/admin.token"));
        assertThat(admin.names()).containsExactly("router.lan");
        assertThat(admin.offLoopback()).isTrue();
    }

    @Test
    void admin_badAllowNetworkReported() {
        assertThatThrownBy(() -> parse("admin: { allow: [192.168.1.0/33] }"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("admin.allow[0]: prefix /33");
    }
}
