package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DroppedLinesTest {
    private static final String GFWLIST = """
            [AutoProxy 0.2.9]
            ||google.com
            ||googlescholar.comUSA
            ||neodb.social x
            ||example.notatld
            |http://
            """;

    @Test
    void summary_countsDroppedLinesByReasonMostFrequentFirst() {
        ParsedList list = new GfwListFormat().parse("gfwlist", "g.txt", GFWLIST);

        assertThat(list.dropped().count()).isEqualTo(4);
        assertThat(list.dropped().byReason()).containsExactly(
                java.util.Map.entry("unknown top-level domain", 2), java.util.Map.entry("invalid name", 1),
                java.util.Map.entry("no host", 1));
        assertThat(list.summary()).isEqualTo(
                "gfwlist: 1 rules (1 suffix), 4 dropped (2 unknown top-level domain, 1 invalid name, 1 no host)");
    }

    @Test
    void report_summaryThenEachDroppedLineWithItsNumber() {
        List<String> report = new GfwListFormat().parse("gfwlist", "g.txt", GFWLIST).report();

        assertThat(report).hasSize(5);
        assertThat(report.get(1)).startsWith("g.txt:3: unknown top-level domain \"comusa\"");
        assertThat(report.get(2)).startsWith("g.txt:4: ");
        assertThat(report.get(3)).startsWith("g.txt:5: unknown top-level domain \"notatld\"");
        assertThat(report.get(4)).isEqualTo("g.txt:6: no host in rule \"|http://\"");
    }

    @Test
    void report_showsTheFirstFiveAndCountsTheRest() {
        String text = IntStream.range(0, 8).mapToObj(i -> "bad_name" + i + "..x\n").reduce("", String::concat);
        ParsedList list = new DomainsFormat().parse("own", "own.txt", text);

        assertThat(list.report()).hasSize(1 + DroppedLines.SHOWN + 1);
        assertThat(list.report().getLast()).isEqualTo("... and 3 more");
        assertThat(list.withoutRules().report()).isEqualTo(list.report());
    }

    @Test
    void report_nothingDroppedIsTheSummaryAlone() {
        ParsedList list = new DomainsFormat().parse("own", "own.txt", "a.example\n");

        assertThat(list.report()).containsExactly("own: 1 rules (1 suffix), 0 dropped");
        assertThat(list.dropped()).isEqualTo(DroppedLines.none());
    }

    @Test
    void summaryOf_restoresTheSummaryOfAListWithoutRules() {
        ParsedList full = new GfwListFormat().parse("gfwlist", "g.txt", GFWLIST + "@@||a.google.com\n/regex/\n");
        ParsedList kept = full.withoutRules();

        ParsedList restored = ParsedList.summaryOf(kept.name(), kept.source(), kept.format(), kept.ruleCounts(),
                kept.exceptionCount(), kept.skipped(), kept.dropped(), kept.includes());

        assertThat(restored.summary()).isEqualTo(full.summary());
        assertThat(restored.report()).isEqualTo(full.report());
        assertThat(restored.ruleCount()).isEqualTo(2);
        assertThat(restored.rules()).isEmpty();
    }
}
