package io.splitroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.CliRun;
import io.splitroute.upstream.SystemResolvers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code splitroute check}: route, rule, list, file and line, upstream; text and JSON. */
class CheckCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path config() throws Exception {
        Files.writeString(dir.resolve("china.conf"), """
                # china list sample
                server=/baidu.com/114.114.114.114
                server=/cn/114.114.114.114
                """);
        Files.writeString(dir.resolve("mine.txt"), "google.com\n# comment\nexample.org\n");
        Path config = dir.resolve("splitroute.yaml");
        Files.writeString(config, """
                upstreams: { isp: ["udp://192.0.2.1:53"], clean: ["udp://192.0.2.2:53"] }
                lists:
                  mine: { file: mine.txt, format: domains }
                  china: { file: china.conf }
                routes:
                  - { name: tunnel, lists: [mine], upstream: clean }
                  - { name: domestic, lists: [china], upstream: isp }
                default-upstream: isp
                """);
        return config;
    }

    @Test
    void check_printsRouteRuleSourceLineAndUpstream() throws Exception {
        CliRun r = run("check", "--config", config().toString(), "WWW.Google.com.", "www.gov.cn", "other.net");

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("""
                www.google.com
                  route:    tunnel
                  rule:     google.com
                  match:    suffix:google.com
                  list:     mine
                  source:   %s:1
                  upstream: clean
                """.formatted(dir.resolve("mine.txt")));
        assertThat(r.out()).contains("www.gov.cn\n  route:    domestic\n  rule:     server=/cn/114.114.114.114\n");
        assertThat(r.out()).contains("other.net\n  route:    default\n  upstream: isp\n");
    }

    @Test
    void check_jsonHasTheDocumentedKeys() throws Exception {
        CliRun r = run("check", "--json", "--config", config().toString(), "baidu.com");

        assertThat(r.out().strip()).startsWith("{\"name\":\"baidu.com\",\"route\":\"domestic\",")
                .contains("\"rule\":\"server=/baidu.com/114.114.114.114\"", "\"list\":\"china\"",
                        "\"source\":\"" + dir.resolve("china.conf") + ":2\"", "\"upstream\":\"isp\"", "\"line\":2");
    }

    @Test
    void check_missingListIsAWarningNotAFailure() throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, """
                upstreams: { isp: [system] }
                lists: { gone: { file: nowhere.txt } }
                routes: [{ name: t, lists: [gone], domains: [a.example], upstream: isp }]
                """);
        CliRun r = run("check", "--config", config.toString(), "a.example");

        assertThat(r.status()).isZero();
        assertThat(r.err()).contains("warning: list gone: " + dir.resolve("nowhere.txt") + " does not exist");
        assertThat(r.out()).contains("route:    t");
    }

    @Test
    void check_embeddedDefaultExplainsBundledGfwlist() {
        CliRun r = run("check", "www.google.com", "dl.google.com");

        assertThat(r.out()).contains("www.google.com\n  route:    tunnel\n  rule:     ||google.com\n");
        assertThat(r.out()).contains("dl.google.com\n  route:    default\n  rule:     excluded by @@||dl.google.com\n");
    }

    @Test
    void check_invalidNameReportedWithStatus1() {
        CliRun r = run("check", "bad..name");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("bad..name: not a domain name:");
    }

    @Test
    void check_showsSetsAndAaaaPolicyOfTheRoute() throws Exception {
        Path config = dir.resolve("sets.yaml");
        Files.writeString(config, """
                upstreams: { isp: ["udp://192.0.2.1:53"] }
                sets:
                  gfw4: { type: ipset, name: gfwlist }
                  gfw6: { type: nftset, table: "inet fw4", name: gfwlist6, family: inet6 }
                routes:
                  - { name: tunnel, domains: [google.com], upstream: isp, sets: [gfw4] }
                  - { name: both, domains: [youtube.com], upstream: isp, sets: [gfw4, gfw6] }
                """);
        CliRun r = run("check", "--config", config.toString(), "www.google.com", "youtube.com", "other.net");

        assertThat(r.out()).contains("  sets:     gfw4 (ipset gfwlist)\n  aaaa:     drop\n");
        assertThat(r.out()).contains("  sets:     gfw4 (ipset gfwlist), gfw6 (nft set inet fw4 gfwlist6)\n  aaaa:     set\n");
        assertThat(r.out()).contains("other.net\n  route:    default\n  upstream: isp\n  servers:  udp://192.0.2.1:53\n  sets:     none\n  aaaa:     pass\n");
    }

    @Test
    void check_systemShowsTheNameserversOfResolvConf() throws Exception {
        Path config = dir.resolve("system.yaml");
        Files.writeString(config, "upstreams: { isp: [system, \"udp://192.0.2.9:53\"] }\n");
        List<String> expected = new ArrayList<>();
        SystemResolvers.read(SystemResolvers.DEFAULT_RESOLV_CONF).forEach(a -> expected.add(a.uri()));
        expected.add("udp://192.0.2.9:53");

        CliRun r = run("check", "--config", config.toString(), "example.org");

        assertThat(r.out()).contains("  servers:  " + String.join(", ", expected) + "\n").doesNotContain("servers:  system");
    }

    @Test
    void check_listWithDroppedLinesIsReportedWithTheFirstLinesAndWhy() throws Exception {
        Files.writeString(dir.resolve("bad.txt"), "google.com\nbad..name\nexample.org\n");
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                upstreams: { isp: ["udp://192.0.2.1:53"] }
                lists: { mine: { file: bad.txt, format: domains } }
                routes: [{ name: t, lists: [mine], upstream: isp }]
                """);

        CliRun r = run("check", "--config", config.toString(), "google.com");

        assertThat(r.status()).isZero();
        List<String> err = r.err().lines().toList();
        assertThat(err.getFirst()).startsWith("list mine: 2 rules (2 suffix), 1 dropped (");
        assertThat(err).contains("  " + dir.resolve("bad.txt") + ":2: empty label in \"bad..name\"");
        assertThat(r.out()).contains("route:    t");
    }
}
