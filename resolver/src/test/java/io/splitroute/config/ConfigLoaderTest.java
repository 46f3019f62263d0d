package io.splitroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitroute.cache.CacheConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static SplitrouteConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "splitroute.yaml", Path.of("/etc/splitroute"));
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
    void issueExample_parsesWithEveryValue() throws Exception {
        SplitrouteConfig c = parse("""
                listen: ["127.0.0.1:53", "192.168.1.1:53"]      # UDP and TCP on each
                upstreams:                                       # named groups, tried in order
                  isp:   ["system"]                              # or ["udp://192.168.1.254:53"]
                  clean: ["udp://192.0.2.53:53", "tcp://192.0.2.54:53"]
                routes:                                          # most specific match wins; ties: first route listed
                  - name: tunnel
                    domains: [google.com, youtube.com]
                    upstream: clean
                default-upstream: isp
                cache: { size: 20000, min-ttl: 0, max-ttl: 86400 }
                acl: ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7", "fe80::/10"]
                """);

        assertThat(c.listen()).extracting(ListenAddress::toString).containsExactly("127.0.0.1:53", "192.168.1.1:53");
        assertThat(c.upstreams().get("clean").servers()).containsExactly("udp://192.0.2.53:53", "tcp://192.0.2.54:53");
        assertThat(c.routes()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("tunnel");
            assertThat(r.domains()).containsExactly("google.com", "youtube.com");
            assertThat(r.upstream()).isEqualTo("clean");
            assertThat(r.line()).isEqualTo(6);
        });
        assertThat(c.defaultUpstream()).isEqualTo("isp");
        assertThat(c.cache()).isEqualTo(new CacheConfig(20000, 0, 86400));
        assertThat(c.acl()).hasSize(7);
    }

    @Test
    void defaults_whenOptionalKeysAreLeftOut() throws Exception {
        SplitrouteConfig c = parse("upstreams: { isp: [system] }");

        assertThat(c.listen()).extracting(ListenAddress::toString).containsExactly("127.0.0.1:53");
        assertThat(c.defaultUpstream()).isEqualTo("isp");
        assertThat(c.acl()).isEqualTo(SplitrouteConfig.DEFAULT_ACL);
        assertThat(c.upstreamTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.cache()).isEqualTo(CacheConfig.DEFAULT);
    }

    @Test
    void errors_allReportedAtOnceWithFileLineAndKey() {
        List<String> problems = problems("""
                listen: ["127.0.0.1:99999"]
                upstreams:
                  isp: ["udp://not-an-ip:53"]
                  clean: ["quic://192.0.2.1"]
                routes:
                  - name: tunnel
                    domains: [google.com]
                    upstream: cleen
                default-upstream: isp
                cache: { size: -1 }
                acl: ["192.168.0.0/33"]
                lisen: []
                """);

        assertThat(problems).containsExactly(
                "splitroute.yaml:1: listen[0]: port 99999 in '127.0.0.1:99999' is not between 1 and 65535",
                "splitroute.yaml:3: upstreams.isp[0]: bad upstream 'udp://not-an-ip:53': 'not-an-ip' is not an IP address"
                        + " (host names are not allowed: a forwarder cannot resolve its own upstream)",
                "splitroute.yaml:4: upstreams.clean[0]: bad upstream 'quic://192.0.2.1': unknown scheme 'quic'"
                        + " (udp, tcp, tls or https)",
                "splitroute.yaml:8: routes[0].upstream: no upstream group named 'cleen' (known: isp, clean)",
                "splitroute.yaml:10: cache.size: must be between 0 and 10000000, got -1",
                "splitroute.yaml:11: acl[0]: prefix /33 in '192.168.0.0/33' is not between 0 and 32",
                "splitroute.yaml:12: lisen: unknown key (did you mean 'listen'?)");
    }

    @Test
    void sets_defaultsFromTheRecordsAndErrorsOfEverySetKeyAtOnce() throws Exception {
        SplitrouteConfig c = parse("""
                upstreams: { isp: [system] }
                sets: { gfw4: { type: ipset, name: gfwlist } }
                routes: [{ name: t, domains: [a.example], upstream: isp, sets: [gfw4] }]
                """);

        assertThat(c.sets().timeout()).isEqualTo(io.splitroute.sets.SetTimeout.DEFAULT);
        assertThat(c.sets().writeDeadline()).isEqualTo(io.splitroute.sets.SetsConfig.DEFAULT_WRITE_DEADLINE);
        assertThat(c.sets().get("gfw4").spec().maxElem()).isEqualTo(io.splitroute.sets.SetConfig.DEFAULT_MAXELEM);
        assertThat(c.routes().getFirst().aaaa()).isEqualTo(io.splitroute.query.AaaaPolicy.DROP);
        assertThat(problems("""
                upstreams: { isp: [system] }
                sets:
                  a: { type: ipset, family: inet7 }
                  b: { type: nftset, table: "inet" }
                set-timeout: { min: 600, max: 300 }
                set-write-deadline: 0
                cache: { min-ttl: 60, max-ttl: 30 }
                """)).containsExactly(
                "splitroute.yaml:3: sets.a.family: 'inet7' is not inet (IPv4) or inet6 (IPv6)",
                "splitroute.yaml:4: sets.b.table: 'inet' is not \"FAMILY NAME\" with FAMILY ip, ip6 or inet (e.g. \"inet fw4\")",
                "splitroute.yaml:5: set-timeout.min: min 600 s is above max 300 s",
                "splitroute.yaml:6: set-write-deadline: must be more than 0",
                "splitroute.yaml:7: cache.min-ttl: min-ttl 60 is above max-ttl 30");
    }

    @Test
    void errors_missingDefaultUpstreamWithSeveralGroups() {
        assertThat(problems("upstreams: { a: [system], b: [system] }"))
                .singleElement().asString().contains("default-upstream: missing");
    }

    @Test
    void errors_badDomainAndDuplicateRoute() {
        List<String> problems = problems("""
                upstreams: { isp: [system] }
                routes:
                  - { name: a, domains: ["bad..name"], upstream: isp }
                  - { name: a, domains: [ok.example], upstream: isp }
                  - { name: default, domains: [x.example], upstream: isp }
                """);

        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).startsWith("splitroute.yaml:3: routes[0].domains[0]:");
        assertThat(problems.get(1)).isEqualTo("splitroute.yaml:4: routes[1].name: route 'a' is defined twice");
        assertThat(problems.get(2)).contains("routes[2].name: 'default' is the name of the route for unmatched names");
    }

    @Test
    void errors_yamlSyntaxReportedWithLine() {
        assertThat(problems("upstreams:\n  isp: [system\nroutes: []\n")).singleElement().asString()
                .startsWith("splitroute.yaml:3: (yaml):");
    }

    @Test
    void domains_normalisedOnce() throws Exception {
        SplitrouteConfig c = parse("""
                upstreams: { isp: [system] }
                routes: [{ name: t, domains: ["WWW.Example.COM.", "bücher.example"], upstream: isp }]
                """);

        assertThat(c.routes().getFirst().domains()).containsExactly("www.example.com", "xn--bcher-kva.example");
    }

    @Test
    void lists_relativeFilesResolvedAgainstConfigDirectory() throws Exception {
        SplitrouteConfig c = parse("""
                upstreams: { isp: [system] }
                lists:
                  gfw: { file: lists/gfwlist.txt, format: gfwlist, url: "https://example.org/gfwlist.txt" }
                routes: [{ name: t, lists: [gfw], upstream: isp }]
                """);

        assertThat(c.lists().get("gfw").file()).isEqualTo(Path.of("/etc/splitroute/lists/gfwlist.txt"));
        assertThat(problems("""
                upstreams: { isp: [system] }
                lists: { gfw: { file: x, format: adblock } }
                routes: [{ name: t, lists: [gwf], upstream: isp }]
                """)).containsExactly(
                "splitroute.yaml:2: lists.gfw.format: 'adblock' is not one of gfwlist, dnsmasq, domains, v2fly",
                "splitroute.yaml:3: routes[0].lists[0]: no list named 'gwf' under lists: (known: gfw)");
    }

    @Test
    void embedded_defaultIsValidAndServesLoopback5300() {
        SplitrouteConfig c = ConfigLoader.loadEmbedded();

        assertThat(c.listen()).extracting(ListenAddress::toString).containsExactly("127.0.0.1:5300");
        assertThat(c.upstreams().get(c.defaultUpstream()).servers()).containsExactly("system");
    }

    @Test
    void example_shippedConfigIsValid() throws Exception {
        Path example = Path.of("../config/splitroute.yaml");
        SplitrouteConfig c = ConfigLoader.load(example);

        assertThat(c.routes()).extracting(RouteConfig::name).containsExactly("tunnel", "domestic");
        assertThat(c.lists()).containsKeys("gfwlist", "china");
        assertThat(c.lists().values()).allSatisfy(list -> assertThat(list.url()).startsWith("https://"));
    }
}
