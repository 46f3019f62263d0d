package io.splitroute.lists.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PackedRulesTest {
    private static final Rule SERVER = new Rule(RuleKind.SUFFIX, "baidu.com", false,
            new Origin("china", "/etc/china.conf", 7, "server=/baidu.com/114.114.114.114"));
    private static final Rule WHOLE = new Rule(RuleKind.SUFFIX, "xn--fiqs8s", false,
            new Origin("china", "/etc/china.conf", 8, "server=/中国/114.114.114.114"));
    private static final Rule EXCEPTION = new Rule(RuleKind.FULL, "dl.google.com", true,
            new Origin("gfwlist", "bundled:gfwlist", 12, "@@|http://dl.google.com"));
    private static final Rule REGEXP = new Rule(RuleKind.REGEXP, "ample\\.com$", false,
            new Origin("v2", "data/inc", 0, "regexp:ample\\.com$ @ads"));

    @Test
    void rule_rebuiltAsAdded() {
        PackedRules packed = PackedRules.builder().add(SERVER).add(WHOLE).add(EXCEPTION).add(REGEXP).build();

        assertThat(packed.size()).isEqualTo(4);
        assertThat(packed.asList()).containsExactly(SERVER, WHOLE, EXCEPTION, REGEXP);
        assertThat(packed.kind(2)).isEqualTo(RuleKind.FULL);
        assertThat(packed.exception(2)).isTrue();
        assertThat(packed.value(1)).isEqualTo("xn--fiqs8s");
        assertThat(packed.rule(3).origin().location()).isEqualTo("data/inc");
    }

    @Test
    void addIfAbsent_dropsSameKindValueAndException() {
        PackedRules.Builder b = PackedRules.deduplicatingBuilder(2);

        assertThat(b.addIfAbsent(RuleKind.SUFFIX, "a.com", false, "l", "s", 1, "a.com")).isTrue();
        assertThat(b.addIfAbsent(RuleKind.SUFFIX, "a.com", false, "l", "s", 2, ".a.com")).isFalse();
        assertThat(b.addIfAbsent(RuleKind.SUFFIX, "a.com", true, "l", "s", 3, "@@a.com")).isTrue();
        assertThat(b.addIfAbsent(RuleKind.FULL, "a.com", false, "l", "s", 4, "full:a.com")).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(b.addIfAbsent(RuleKind.SUFFIX, "n" + i + ".com", false, "l", "s", 10 + i, "n" + i + ".com")).isTrue();
        }
        assertThat(b.addIfAbsent(RuleKind.SUFFIX, "n999.com", false, "l", "s", 5000, "n999.com")).isFalse();

        PackedRules packed = b.build();
        assertThat(packed.size()).isEqualTo(1003);
        assertThat(packed.rule(1).origin().line()).isEqualTo(3);
        assertThat(packed.rule(1002).value()).isEqualTo("n999.com");
    }

    @Test
    void addAll_copiesRulesWithTheirOrigins() {
        PackedRules first = PackedRules.builder().add(SERVER).add(WHOLE).build();
        PackedRules second = PackedRules.builder().add(EXCEPTION).add(REGEXP).add(SERVER).build();

        PackedRules all = PackedRules.builder().add(REGEXP).addAll(first).addAll(second).build();

        assertThat(all.asList()).containsExactly(REGEXP, SERVER, WHOLE, EXCEPTION, REGEXP, SERVER);
    }

    @Test
    void asList_isReadOnly() {
        List<Rule> rules = PackedRules.builder().add(SERVER).build().asList();

        assertThatThrownBy(() -> rules.add(WHOLE)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(PackedRules.empty().asList()).isEmpty();
    }

    @Test
    void ruleTable_copiesPackedListsWithTheirRoutes() {
        PackedRules china = PackedRules.builder().add(SERVER).build();
        PackedRules gfw = PackedRules.builder().add(EXCEPTION).add(new Rule(RuleKind.SUFFIX, "google.com", false,
                new Origin("gfwlist", "bundled:gfwlist", 3, "||google.com"))).build();

        RuleTable table = RuleTable.builder().route("tunnel").route("domestic")
                .addAll("tunnel", gfw.asList()).addAll("domestic", china).build();

        assertThat(table.lookup("www.baidu.com").route()).isEqualTo("domestic");
        assertThat(table.lookup("www.baidu.com").rule()).isEqualTo(SERVER);
        assertThat(table.lookup("mail.google.com").route()).isEqualTo("tunnel");
        assertThat(table.lookup("dl.google.com").matched()).isFalse();
        assertThat(table.lookup("dl.google.com").rule()).isEqualTo(EXCEPTION);
    }
}
