package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleKind;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class V2flyFormatTest {
    private final V2flyFormat format = new V2flyFormat();

    /** Real lines from domain-list-community data/ files. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "netflix.com => suffix:netflix.com",
        "domain:cn => suffix:cn",
        "full:google-ohttp-relay-safebrowsing.fastly-edge.com => full:google-ohttp-relay-safebrowsing.fastly-edge.com",
        "keyword:NetflixDNSTest => keyword:netflixdnstest",
        "regexp:(^|\\.)dualstack\\.apiproxy-.+\\.amazonaws\\.com$ => regexp:(^|\\.)dualstack\\.apiproxy-.+\\.amazonaws\\.com$",
        "regexp:^(?P<x>a)\\.com$ => regexp:^(?<x>a)\\.com$",
        "google.cn @cn => suffix:google.cn",
        "xn--80AGLFYFK.xn--p1ai => suffix:xn--80aglfyfk.xn--p1ai",
        "att.com # AT&T => suffix:att.com",
        "a.com &other-list => suffix:a.com",
        "# comment => ignored",
        "regexp:(unclosed => problem: regexp \"(unclosed\" does not compile: Unclosed group",
        "unknown:thing => problem: unknown rule type \"unknown\" (expected domain, full, keyword, regexp or include)",
        "a.com !tag => problem: unknown tag \"!tag\" (expected @attribute or &list)",
        "bad..name => problem: empty label in \"bad..name\"",
        "include:google => problem: include:google cannot be resolved: the list was not read from a directory",
    })
    void parse_lines(String line, String expected) {
        assertThat(FormatOutcome.of(format.parse("geosite", "data/x", line))).isEqualTo(expected);
    }

    @Test
    void read_resolvesIncludesWithAttributeFilters() throws Exception {
        ParsedList list = V2flyFormat.read("sample", fixtureDir().resolve("sample"));
        assertThat(list.rules()).extracting(Rule::describe).containsExactly(
                "suffix:2mdn.net", "suffix:admob-cn.com",            // include:child @ads (doubleclick.net has no @ads)
                "suffix:gstatic.com",                                // include:other @-cn (g.cn has @cn)
                "suffix:fast.com", "suffix:netflix.com", "suffix:nflxvideo.net",
                "full:google-ohttp-relay-safebrowsing.fastly-edge.com", "keyword:netflixdnstest",
                "regexp:(^|\\.)dualstack\\.apiproxy-.+\\.amazonaws\\.com$",
                "suffix:xn--80aglfyfk.xn--p1ai", "suffix:google.cn");
        assertThat(list.problems()).extracting(ParseProblem::line, p -> p.source().endsWith("other"))
                .contains(org.assertj.core.groups.Tuple.tuple(3, true));
        assertThat(list.problems()).extracting(ParseProblem::reason).anyMatch(r -> r.startsWith("include:missing-file: no file"))
                .anyMatch(r -> r.startsWith("regexp \"(?<bad\" does not compile"))
                .anyMatch(r -> r.equals("empty label in \"bad..name\""));
        assertThat(list.problems()).hasSize(4);
        Rule included = list.rules().get(0);
        assertThat(included.origin().source()).endsWith("child");
        assertThat(included.origin().line()).isEqualTo(1);
        assertThat(included.origin().list()).isEqualTo("sample");
        assertThat(list.ruleCounts()).isEqualTo(Map.of(RuleKind.SUFFIX, 8, RuleKind.FULL, 1, RuleKind.KEYWORD, 1, RuleKind.REGEXP, 1));
    }

    @Test
    void read_reportsIncludeCycle() throws Exception {
        ParsedList list = V2flyFormat.read("cycle", fixtureDir().resolve("cycle-a"));
        assertThat(list.rules()).extracting(Rule::value).containsExactly("a.example", "b.example");
        assertThat(list.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo("include cycle: cycle-a -> cycle-b -> cycle-a");
            assertThat(p.source()).endsWith("cycle-b");
            assertThat(p.line()).isEqualTo(2);
        });
    }

    private static Path fixtureDir() throws URISyntaxException {
        return Path.of(V2flyFormatTest.class.getResource("v2fly/sample").toURI()).getParent();
    }
}
