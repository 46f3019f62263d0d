package io.splitroute.lists.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleTableTest {
    private static Origin origin(String list, int line, String text) {
        return new Origin(list, list + ".txt", line, text);
    }

    private static Rule suffix(String v) {
        return Rule.suffix(v, origin("l", 1, "||" + v));
    }

    private static Rule full(String v) {
        return Rule.full(v, origin("l", 1, "full:" + v));
    }

    private static Rule keyword(String v) {
        return new Rule(RuleKind.KEYWORD, v, false, origin("l", 1, "keyword:" + v));
    }

    private static Rule regexp(String v) {
        return new Rule(RuleKind.REGEXP, v, false, origin("l", 1, "regexp:" + v));
    }

    private static String route(RuleTable t, String name) {
        return t.lookup(name).route();
    }

    @Test
    void lookup_fullBeatsLongerSuffixBeatsShorterSuffix() {
        RuleTable t = RuleTable.builder().route("a").route("b").route("c")
                .add("c", suffix("google.com"))
                .add("b", suffix("mail.google.com"))
                .add("a", full("x.mail.google.com"))
                .build();
        assertThat(route(t, "x.mail.google.com")).isEqualTo("a");
        assertThat(route(t, "y.mail.google.com")).isEqualTo("b");
        assertThat(route(t, "mail.google.com")).isEqualTo("b");
        assertThat(route(t, "www.google.com")).isEqualTo("c");
        assertThat(t.lookup("example.org")).isEqualTo(RouteDecision.none());
    }

    @Test
    void lookup_suffixBeatsKeywordBeatsRegexp() {
        RuleTable t = RuleTable.builder().route("re").route("kw").route("sfx")
                .add("re", regexp("google"))
                .add("kw", keyword("google"))
                .add("sfx", suffix("google.com"))
                .build();
        assertThat(route(t, "www.google.com")).isEqualTo("sfx");
        assertThat(route(t, "google.cn")).isEqualTo("kw");
        RuleTable onlyRegexp = RuleTable.builder().route("re").add("re", regexp("^goo.le\\.")).build();
        assertThat(route(onlyRegexp, "google.cn")).isEqualTo("re");
        assertThat(route(onlyRegexp, "www.google.cn")).isNull();
    }

    @Test
    void lookup_exceptionKeepsNameOffItsRouteButNotTheRest() {
        Rule exception = suffix("dl.google.com").asException();
        RuleTable t = RuleTable.builder().route("tunnel")
                .add("tunnel", suffix("google.com"))
                .add("tunnel", exception)
                .build();
        assertThat(route(t, "www.google.com")).isEqualTo("tunnel");
        RouteDecision d = t.lookup("dl.google.com");
        assertThat(d.matched()).isFalse();
        assertThat(d.excluded()).isTrue();
        assertThat(d.rule()).isEqualTo(exception);
        assertThat(t.lookup("x.dl.google.com").rule()).isEqualTo(exception);
    }

    @Test
    void lookup_exceptionBeatsRuleOfSamePrecedenceOnly() {
        RuleTable t = RuleTable.builder().route("r")
                .add("r", suffix("google.com").asException())
                .add("r", suffix("google.com"))
                .add("r", suffix("www.google.com"))
                .add("r", full("a.google.com"))
                .build();
        assertThat(t.lookup("google.com").excluded()).isTrue();
        assertThat(t.lookup("x.google.com").excluded()).isTrue();
        assertThat(route(t, "x.www.google.com")).isEqualTo("r");
        assertThat(route(t, "a.google.com")).isEqualTo("r");
    }

    @Test
    void lookup_exceptionAppliesWithinItsOwnRoute() {
        RuleTable t = RuleTable.builder().route("tunnel").route("domestic")
                .add("tunnel", suffix("google.com"))
                .add("tunnel", suffix("fonts.gstatic.com").asException())
                .add("tunnel", suffix("gstatic.com"))
                .add("domestic", suffix("gstatic.com"))
                .add("domestic", suffix("google.com"))
                .build();
        // tunnel's exception removes tunnel; domestic's shorter suffix then decides
        RouteDecision d = t.lookup("fonts.gstatic.com");
        assertThat(d.route()).isEqualTo("domestic");
        assertThat(d.rule().value()).isEqualTo("gstatic.com");
        // no exception: equal precedence, the route declared first wins
        assertThat(route(t, "www.gstatic.com")).isEqualTo("tunnel");
    }

    @Test
    void lookup_equalPrecedenceGoesToRouteDeclaredFirst() {
        Rule gfw = Rule.suffix("futunn.com", origin("gfwlist", 546, "||futunn.com"));
        Rule china = Rule.suffix("futunn.com", origin("china", 9, "server=/futunn.com/114.114.114.114"));
        RuleTable tunnelFirst = RuleTable.builder().route("tunnel").route("domestic")
                .add("domestic", china).add("tunnel", gfw).build();
        RuleTable domesticFirst = RuleTable.builder().route("domestic").route("tunnel")
                .add("domestic", china).add("tunnel", gfw).build();
        assertThat(tunnelFirst.lookup("futunn.com")).isEqualTo(new RouteDecision("tunnel", gfw));
        assertThat(domesticFirst.lookup("www.futunn.com")).isEqualTo(new RouteDecision("domestic", china));
    }

    @Test
    void lookup_longerSuffixInLaterRouteBeatsShorterInEarlierRoute() {
        RuleTable t = RuleTable.builder().route("tunnel").route("domestic")
                .add("tunnel", suffix("666pool.cn"))
                .add("domestic", suffix("cn"))
                .add("domestic", suffix("fonts.googleapis.com"))
                .add("tunnel", suffix("googleapis.com"))
                .build();
        assertThat(route(t, "www.666pool.cn")).isEqualTo("tunnel");
        assertThat(route(t, "baidu.cn")).isEqualTo("domestic");
        assertThat(route(t, "fonts.googleapis.com")).isEqualTo("domestic");
        assertThat(route(t, "maps.googleapis.com")).isEqualTo("tunnel");
    }

    @Test
    void lookup_keywordExceptionAndRuleInDifferentRoutes() {
        RuleTable t = RuleTable.builder().route("a").route("b")
                .add("a", keyword("ads").asException())
                .add("a", keyword("ad"))
                .add("b", keyword("ad"))
                .add("b", regexp("ads"))
                .build();
        assertThat(route(t, "ads.example.com")).isEqualTo("b");
        assertThat(t.lookup("ads.example.com").rule().kind()).isEqualTo(RuleKind.KEYWORD);
        assertThat(route(t, "ad.example.com")).isEqualTo("a");
    }

    @Test
    void lookup_normalisesTheQueryName() {
        RuleTable t = RuleTable.builder().route("r").add("r", suffix("google.com")).add("r", suffix("xn--fiqs8s")).build();
        assertThat(route(t, "WWW.Google.COM.")).isEqualTo("r");
        assertThat(route(t, "例子.中国")).isEqualTo("r");
    }

    @Test
    void lookup_decisionCarriesRuleAndOrigin() {
        Origin o = new Origin("gfwlist", "/var/lib/splitroute/gfwlist.txt", 784, "||google.com");
        RuleTable t = RuleTable.builder().route("tunnel").add("tunnel", Rule.suffix("google.com", o)).build();
        RouteDecision d = t.lookup("www.google.com");
        assertThat(d.rule().origin()).isEqualTo(o);
        assertThat(d.toString()).isEqualTo("route=tunnel by suffix:google.com from gfwlist /var/lib/splitroute/gfwlist.txt:784 \"||google.com\"");
        assertThat(t.lookup("www.google.com")).isSameAs(d);
    }

    @Test
    void matchingRules_originTextAsWrittenAroundTheValue() {
        Origin china = new Origin("china", "china.conf", 7, "server=/qq.com/114.114.114.114");
        Origin china2 = new Origin("china", "china.conf", 8, "server=/114.com/114.114.114.114");
        Origin upper = new Origin("v2", "v2.txt", 3, "domain:Example.COM");
        Origin twice = new Origin("v2", "v2.txt", 4, "full:a.cn # a.cn again");
        Origin other = new Origin("china", "china.conf", 9, "nftset=/qq.org/4#inet#fw4#vpn");
        RuleTable t = RuleTable.builder().route("r")
                .add("r", Rule.suffix("qq.com", china)).add("r", Rule.suffix("114.com", china2))
                .add("r", Rule.suffix("Example.COM", upper)).add("r", Rule.full("a.cn", twice))
                .add("r", Rule.suffix("qq.org", other)).build();

        assertThat(t.matchingRules("www.qq.com")).singleElement().extracting(Rule::origin).isEqualTo(china);
        assertThat(t.matchingRules("114.com")).singleElement().extracting(Rule::origin).isEqualTo(china2);
        assertThat(t.matchingRules("example.com")).singleElement().extracting(Rule::origin).isEqualTo(upper);
        assertThat(t.matchingRules("a.cn")).singleElement().extracting(Rule::origin).isEqualTo(twice);
        assertThat(t.matchingRules("qq.org")).singleElement().extracting(Rule::origin).isEqualTo(other);
        assertThat(t.lookup("x.qq.org").rule().origin().text()).isEqualTo("nftset=/qq.org/4#inet#fw4#vpn");
    }

    @Test
    void lookup_moreRulesThanCachedDecisions_rightAndBounded() {
        int n = 3 * RuleStore.CACHED_DECISIONS;
        RuleTable.Builder b = RuleTable.builder().route("a").route("b");
        for (int i = 0; i < n; i++) {
            b.add(i % 2 == 0 ? "a" : "b", suffix("d" + i + ".com"));
        }
        RuleTable t = b.build();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                RouteDecision d = t.lookup("www.d" + i + ".com");
                assertThat(d.route()).isEqualTo(i % 2 == 0 ? "a" : "b");
                assertThat(d.rule().origin().text()).isEqualTo("||d" + i + ".com");
            }
        }
        assertThat(t.materializedDecisions()).isPositive().isLessThanOrEqualTo(RuleStore.CACHED_DECISIONS);
    }

    @Test
    void build_dropsDuplicatesWithinARoute() {
        RuleTable t = RuleTable.builder().route("a").route("b")
                .add("a", suffix("x.com")).add("a", suffix("X.com.")).add("b", suffix("x.com")).add("a", suffix("x.com").asException())
                .build();
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.matchingRules("x.com")).hasSize(3);
    }

    @Test
    void builder_rejectsUndeclaredRouteAndBadRegexp() {
        assertThatThrownBy(() -> RuleTable.builder().route("a").add("b", suffix("x.com")))
                .hasMessageContaining("route \"b\" is not declared");
        assertThatThrownBy(() -> RuleTable.builder().route("a").route("a")).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> RuleTable.builder().route("a").add("a", regexp("(unclosed")).build())
                .hasMessageContaining("regexp does not compile").hasMessageContaining("l.txt:1");
    }

    @Test
    void empty_matchesNothing() {
        assertThat(RuleTable.empty().lookup("google.com")).isEqualTo(RouteDecision.none());
        assertThat(RuleTable.empty().size()).isZero();
        assertThat(RuleTable.empty().routes()).isEmpty();
    }

    @Test
    void matchingRules_listsEveryMatchStrongestFirst() {
        RuleTable t = RuleTable.builder().route("a").route("b")
                .add("b", suffix("google.com")).add("a", suffix("dl.google.com").asException()).add("a", suffix("google.com"))
                .build();
        List<String> rules = t.matchingRules("dl.google.com").stream().map(Rule::describe).toList();
        assertThat(rules).containsExactly("@@suffix:dl.google.com", "suffix:google.com", "suffix:google.com");
        assertThat(t.lookup("dl.google.com").route()).isEqualTo("b");
    }
}
