package io.splitroute.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.upstream.GroupSpec;
import io.splitroute.upstream.HttpsUpstream;
import io.splitroute.upstream.lab.TestPki;
import io.splitroute.upstream.tls.TlsOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream keys: list and object forms of a group, server URIs, tls:, bootstrap:, and their errors. */
class UpstreamsSectionTest {
    /** A valid SHA-256 pin: 32 bytes, base64. */
    private static final String PIN = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    @TempDir
    static Path dir;
    private static Path caFile;

    @BeforeAll
    static void writeCa() throws Exception {
        caFile = TestPki.create().writeCaFile(dir);
    }

    private static SplitrouteConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "splitroute.yaml", dir);
    }

    private static List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }

    @Test
    void objectForm_everyKey() throws Exception {
        SplitrouteConfig c = parse("""
                upstreams:
                  clean:
                    servers: ["tls://dns.google@8.8.8.8", "https://dns.google/dns-query@8.8.4.4", "udp://8.8.8.8:53@wg1"]
                    mark: 0xca6c
                    interface: wg0
                    tls: { ca-file: %s, pin-sha256: ["%s"], sni: dns.example }
                    method: get
                """.formatted(caFile.getFileName(), PIN));

        assertThat(c.upstreams().get("clean")).isEqualTo(new GroupSpec("clean",
                List.of("tls://dns.google@8.8.8.8", "https://dns.google/dns-query@8.8.4.4", "udp://8.8.8.8:53@wg1"),
                "wg0", 0xca6cL, new TlsOptions(caFile, List.of(PIN), "dns.example"), HttpsUpstream.Method.GET, List.of()));
    }

    @Test
    void listForm_isAGroupWithNothingElse() throws Exception {
        SplitrouteConfig c = parse("upstreams: { clean: [\"udp://192.0.2.53:53@wg0\", system] }");

        assertThat(c.upstreams().get("clean")).isEqualTo(GroupSpec.of("clean", List.of("udp://192.0.2.53:53@wg0", "system")));
    }

    @Test
    void topLevelTls_isTheDefaultOfEncryptedGroups_aGroupsOwnReplacesIt() throws Exception {
        SplitrouteConfig c = parse("""
                tls: { ca-file: %s }
                upstreams:
                  doh: ["https://dns.example/dns-query@192.0.2.1"]
                  pinned: { servers: ["tls://dns.example@192.0.2.2"], tls: { pin-sha256: ["%s"] } }
                  plain: ["udp://192.0.2.3:53"]
                default-upstream: plain
                """.formatted(caFile, PIN));

        assertThat(c.upstreams().get("doh").tls()).isEqualTo(new TlsOptions(caFile, List.of(), null));
        assertThat(c.upstreams().get("pinned").tls()).isEqualTo(new TlsOptions(null, List.of(PIN), null));
        assertThat(c.upstreams().get("plain").tls()).isEqualTo(TlsOptions.DEFAULT);
    }

    @Test
    void bootstrap_givenOnlyToGroupsWithAServerToLookUp() throws Exception {
        SplitrouteConfig c = parse("""
                bootstrap: ["udp://9.9.9.9:53", system]
                upstreams:
                  byName: ["tls://dns.example"]
                  byAddress: ["tls://dns.example@192.0.2.1"]
                default-upstream: byName
                """);

        assertThat(c.upstreams().get("byName").bootstrap()).containsExactly("udp://9.9.9.9:53", "system");
        assertThat(c.upstreams().get("byAddress").bootstrap()).isEmpty();
    }

    @Test
    void encryptedServerWithoutAddressOrBootstrap_isAnErrorNamingTheFix() {
        assertThat(problems("upstreams:\n  clean: [\"udp://192.0.2.1:53\", \"https://dns.example:8443/q\"]\n"))
                .containsExactly("splitroute.yaml:2: upstreams.clean[1]: https://dns.example has no address to dial "
                        + "and there is no bootstrap: to look dns.example up: write https://dns.example:8443/q@IP, "
                        + "or add bootstrap: [\"udp://IP:53\"] (plain servers that resolve it)");
    }

    @Test
    void errors_eachWithLineAndKey_aBadGroupStillKnownToRoutes() {
        List<String> problems = problems("""
                bootstrap: ["tls://dns.example@192.0.2.9"]
                tls: { ca-file: missing.pem }
                upstreams:
                  clean:
                    servers: ["udp://192.0.2.1:53"]
                    mark: blue
                    interface: "wg0/x"
                    method: put
                    tls: { pin-sha256: ["c2hvcnQ="], cert: x }
                  empty: { interface: wg0 }
                routes: [{ name: t, domains: [a.example], upstream: clean }]
                default-upstream: empty
                """);

        assertThat(problems).containsExactly(
                "splitroute.yaml:1: bootstrap[0]: 'tls://dns.example@192.0.2.9' is encrypted: bootstrap servers look up"
                        + " the names of encrypted servers, so they must be plain udp://, tcp:// or system",
                "splitroute.yaml:2: tls.ca-file: cannot read trusted CAs from " + dir.resolve("missing.pem")
                        + ": no such file",
                "splitroute.yaml:6: upstreams.clean.mark: 'blue' is not a packet mark: 0x1 to 0xffffffff, as in 0xca6c",
                "splitroute.yaml:7: upstreams.clean.interface: interface 'wg0/x' is not an interface name (1 to 15"
                        + " letters, digits or . _ - : +)",
                "splitroute.yaml:8: upstreams.clean.method: 'put' is not post or get",
                "splitroute.yaml:9: upstreams.clean.tls.cert: unknown key (known keys: ca-file, pin-sha256, sni)",
                "splitroute.yaml:9: upstreams.clean.tls.pin-sha256[0]: pin-sha256 'c2hvcnQ=' is 5 bytes, not a SHA-256"
                        + " (32 bytes, 44 base64 characters)",
                "splitroute.yaml:10: upstreams.empty.servers: missing: the group's servers, tried in order");
    }
}
