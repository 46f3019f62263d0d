package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.rule.RuleKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParsedListTest {
    private static final String GFWLIST = """
            [AutoProxy 0.2.9]
            ||google.com
            ||youtube.com
            |https://www.example.org/path
            @@||dl.google.com
            /^https?:\\/\\/[^\\/]+blogspot\\.(.*)/
            ||google.com
            """;

    @Test
    void withoutRules_keepsCountsSummaryAndProblems() {
        ParsedList full = new GfwListFormat().parse("gfwlist", "test.txt", GFWLIST);
        ParsedList kept = full.withoutRules();

        assertThat(kept.rules()).isEmpty();
        assertThat(kept.ruleCount()).isEqualTo(full.rules().size()).isEqualTo(4);
        assertThat(kept.ruleCounts()).isEqualTo(full.ruleCounts()).isEqualTo(Map.of(RuleKind.SUFFIX, 3));
        assertThat(kept.exceptionCount()).isEqualTo(1);
        assertThat(kept.summary()).isEqualTo(full.summary()).startsWith("gfwlist: 4 rules (3 suffix, 1 exception)");
        assertThat(kept.skipped()).isEqualTo(full.skipped()).containsEntry("duplicate", 1);
        assertThat(kept.problems()).isEqualTo(full.problems());
        assertThat(kept.name()).isEqualTo("gfwlist");
        assertThat(kept.source()).isEqualTo("test.txt");
        assertThat(kept.format()).isEqualTo(full.format());
    }

    @Test
    void withoutRules_twiceIsTheSameCopy() {
        ParsedList kept = new GfwListFormat().parse("gfwlist", "test.txt", GFWLIST).withoutRules();

        assertThat(kept.withoutRules()).isSameAs(kept);
        assertThat(kept.ruleCount()).isEqualTo(4);
    }
}
