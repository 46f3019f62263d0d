package io.splitroute.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.update.ListSource;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.unlisted.UnlistedConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keys of names on no list: {@code ip-lists:}, {@code unlisted:}, {@code routes[].exclude-ips}, {@code max-bytes}. */
class IpListsConfigTest {
    private static final String BASE = """
            upstreams: { isp: [system], clean: ["udp://192.0.2.53:53"] }
            sets: { gfw4: { type: ipset, name: gfwlist, family: inet } }
            """;

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
        SplitrouteConfig c = parse(BASE + """
                ip-lists:
                  chnroute: { file: chnroutes.txt, url: "https://example.net/chnroutes.txt", format: cidr,
                              refresh: 12h, min-rules: 1000, max-shrink: 0.8, max-bytes: 2MiB }
                unlisted:
                  domestic: isp              # upstream group asked for the domestic answer
                  trusted: clean             # upstream group through the tunnel
                  domestic-ips: [chnroute]   # IP lists that make an answer domestic
                  sets: [gfw4]               # where a trusted answer's addresses go
                  aaaa: drop
                """);

        IpListConfig chn = c.ipLists().get("chnroute");
        assertThat(chn.file()).isEqualTo(Path.of("/etc/splitroute/chnroutes.txt"));
        assertThat(chn.url()).isEqualTo("https://example.net/chnroutes.txt");
        assertThat(chn.refresh()).isEqualTo(Duration.ofHours(12));
        assertThat(chn.minRules()).isEqualTo(1000);
        assertThat(chn.maxShrink()).isEqualTo(0.8);
        assertThat(chn.maxBytes()).isEqualTo(2L << 20);
        assertThat(chn.line()).isEqualTo(4);
        assertThat(c.unlisted()).isEqualTo(new UnlistedConfig("isp", "clean", List.of("chnroute"), List.of(),
                List.of("gfw4"), AaaaPolicy.DROP, UnlistedConfig.DEFAULT_VERDICT_CACHE, 7));
        assertThat(c.defaultUpstream()).as("unlisted replaces default-upstream").isNull();
    }

    @Test
    void defaults_ipListAndUnlisted() throws Exception {
        SplitrouteConfig c = parse(BASE + """
                ip-lists: { chnroute: { file: "bundled:chnroute" }, poison: { file: poison.txt } }
                unlisted: { domestic: isp, trusted: clean, domestic-ips: chnroute, poison-ips: [poison], sets: [gfw4],
                            verdict-cache: 500 }
                """);

        IpListConfig chn = c.ipLists().get("chnroute");
        assertThat(chn.file()).isEqualTo(Path.of("bundled:chnroute"));
        assertThat(chn.minRules()).isEqualTo(ListConfig.DEFAULT_MIN_RULES);
        assertThat(chn.maxShrink()).isEqualTo(ListConfig.DEFAULT_MAX_SHRINK);
        assertThat(chn.maxBytes()).isEqualTo(ListSource.DEFAULT_MAX_BYTES);
        assertThat(c.unlisted().aaaa()).as("sets without an inet6 set: drop").isEqualTo(AaaaPolicy.DROP);
        assertThat(c.unlisted().poisonIps()).containsExactly("poison");
        assertThat(c.unlisted().verdictCache()).isEqualTo(500);
    }

    @Test
    void maxBytes_onDomainLists() throws Exception {
        SplitrouteConfig c = parse(BASE + """
                lists:
                  gfwlist: { file: gfwlist.txt, url: "https://example.net/gfwlist.txt", max-bytes: 512k }
                  china: { file: china.conf }
                default-upstream: isp
                """);

        assertThat(c.lists().get("gfwlist").maxBytes()).isEqualTo(512L << 10);
        assertThat(c.lists().get("china").maxBytes()).isEqualTo(ListSource.DEFAULT_MAX_BYTES);
        assertThat(problems(BASE + "lists: { g: { file: g.txt, max-bytes: lots } }\ndefault-upstream: isp\n"))
                .singleElement().asString().contains("lists.g.max-bytes: expected a size");
    }

    @Test
    void routeExcludeIps_namesIpLists() throws Exception {
        SplitrouteConfig c = parse(BASE + """
                ip-lists: { chnroute: { file: "bundled:chnroute" } }
                routes:
                  - { name: tunnel, domains: [x.example], upstream: clean, sets: [gfw4], exclude-ips: [chnroute] }
                default-upstream: isp
                """);

        assertThat(c.routes().getFirst().excludeIps()).containsExactly("chnroute");
    }

    @Test
    void errors_cidrUnderLists_andADomainFormatUnderIpLists() {
        List<String> problems = problems(BASE + """
                lists: { chnroute: { file: chnroutes.txt, format: cidr } }
                ip-lists: { gfw: { file: gfwlist.txt, format: gfwlist } }
                default-upstream: isp
                """);

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).isEqualTo("splitroute.yaml:3: lists.chnroute.format: cidr is the format of IP lists:"
                + " name this list under ip-lists: (domestic-ips, exclude-ips refer to those)");
        assertThat(problems.get(1)).startsWith("splitroute.yaml:4: ip-lists.gfw.format: 'gfwlist' is not cidr");
    }

    @Test
    void errors_unlistedReferencesAndConflicts() {
        List<String> problems = problems(BASE + """
                lists: { chnroute: { file: gfwlist.txt } }
                ip-lists: { chnroute: { file: chnroutes.txt }, cn: { file: cn.txt } }
                unlisted: { domestic: isp, trusted: tunnel, domestic-ips: [cn, nope], sets: [gfw6] }
                default-upstream: isp
                routes:
                  - { name: r, domains: [x.example], upstream: isp, exclude-ips: [cn] }
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("ip-lists.chnroute: a domain list under lists:"
                + " is already called 'chnroute'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("unlisted.trusted: no upstream group named 'tunnel'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("unlisted.domestic-ips[1]: no IP list named 'nope'"
                + " under ip-lists: (known: cn)"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("unlisted.sets[0]: no set named 'gfw6'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("default-upstream: unlisted: answers the names"
                + " no route matches in its place; remove one of the two"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("routes[0].exclude-ips: keeps addresses out of"
                + " the route's sets, but the route has no sets:"));
    }

    @Test
    void errors_unlistedMissingDomesticIpsOrSameGroupTwice() {
        assertThat(problems(BASE + "unlisted: { domestic: isp, trusted: clean }\n")).singleElement().asString()
                .contains("unlisted.domestic-ips: missing: the IP lists that make an answer domestic");
        assertThat(problems(BASE + """
                ip-lists: { cn: { file: cn.txt } }
                unlisted: { domestic: isp, trusted: isp, domestic-ips: [cn] }
                """)).singleElement().asString().contains("unlisted.trusted: the same group as domestic");
    }

    @Test
    void exampleConfig_downloadsChnroute_andItsUnlistedBlockWorksUncommented() throws Exception {
        String example = java.nio.file.Files.readString(Path.of("../config/splitroute.yaml"));
        SplitrouteConfig c = ConfigLoader.parse(example, "splitroute.yaml", Path.of("/etc/splitroute"));
        assertThat(c.ipLists().get("chnroute").url())
                .isEqualTo("https://raw.githubusercontent.com/misakaio/chnroutes2/master/chnroutes.txt");

        String uncommented = uncommentUnlisted(example.replace("default-upstream: isp\n", ""))
                .replace("    # exclude-ips: [chnroute]", "    exclude-ips: [chnroute]");
        SplitrouteConfig u = ConfigLoader.parse(uncommented, "splitroute.yaml", Path.of("/etc/splitroute"));
        assertThat(u.unlisted()).isEqualTo(new UnlistedConfig("isp", "clean",
                List.of("chnroute"), List.of(), List.of("gfw4"), AaaaPolicy.DROP, UnlistedConfig.DEFAULT_VERDICT_CACHE,
                u.unlisted().line()));
        assertThat(u.routes().getFirst().excludeIps()).containsExactly("chnroute");
    }

    /** The example with its commented {@code unlisted:} block (that line and the indented ones after it) in force. */
    private static String uncommentUnlisted(String example) {
        StringBuilder out = new StringBuilder();
        boolean inBlock = false;
        for (String line : example.split("\n", -1)) {
            inBlock = line.equals("# unlisted:") || inBlock && line.startsWith("#   ");
            out.append(inBlock ? line.substring(2) : line).append('\n');
        }
        return out.toString();
    }

    @Test
    void unlisted_withSeveralGroups_needsNoDefaultUpstream() throws Exception {
        SplitrouteConfig c = parse(BASE + """
                ip-lists: { cn: { file: cn.txt } }
                unlisted: { domestic: isp, trusted: clean, domestic-ips: [cn] }
                """);

        assertThat(c.unlisted().sets()).isEmpty();
        assertThat(c.unlisted().aaaa()).isEqualTo(AaaaPolicy.PASS);
    }
}
