package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.SharedData;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Compares splitroute's gfwlist conversion with gfwlist2dnsmasq's, the converter most users run today.
 *
 * <p>The sets must be equal except for these deliberate differences, each counted so a regression fails:
 * <ol>
 *   <li><b>built-in extras</b>: gfwlist2dnsmasq always appends 255 google.* / blogspot.* /
 *       twimg.edgesuite.net names; those that gfwlist itself does not list are not part of gfwlist, and
 *       splitroute does not invent them (the blogspot regex they stand in for is counted as skipped);</li>
 *   <li><b>junk reported</b>: names that are not valid domains ({@code googlescholar.comUSA}, a trailing
 *       space, a {@code *} inside a label) are reported with their line instead of being routed;</li>
 *   <li><b>exceptions honoured</b>: gfwlist2dnsmasq drops {@code @@} rules, so names such as
 *       {@code vpser.net} that gfwlist both lists and excepts are routed by it; splitroute excludes them;</li>
 *   <li><b>junk silently dropped there, reported here</b>: rules without any domain ({@code freenet},
 *       {@code q=freedom}, {@code .google.*}) are dropped by both, but splitroute tells the user.</li>
 * </ol>
 * Whitespace is trimmed ({@code "neodb.social "} becomes {@code neodb.social}) and names are compared in
 * lower case.
 */
class GfwListConversionTest {

    @Test
    void conversion_matchesGfwlist2dnsmasqPublishedOutput_exceptDeliberateDifferences() throws IOException {
        Path dir = SharedData.require("gfwlist2dnsmasq-sample");
        ParsedList list = ListLoader.load("gfwlist", dir.resolve("gfwlist-input-1e0a05b.txt"), null);
        Set<String> theirs = new TreeSet<>(Files.readAllLines(dir.resolve("gfwlist_domain.txt")));
        Set<String> extras = new TreeSet<>(Files.readAllLines(dir.resolve("builtin-extra-domains.txt")));
        Set<String> ours = routed(list);
        assertThat(theirs).hasSize(5987);

        Set<String> onlyTheirs = minus(theirs, ours);
        Set<String> extrasNotInGfwlist = onlyTheirs.stream().filter(extras::contains).collect(Collectors.toCollection(TreeSet::new));
        assertThat(extrasNotInGfwlist).as("1. built-in extras").hasSize(199).contains("google.com.af", "blogspot.de", "twimg.edgesuite.net");
        assertThat(minus(onlyTheirs, extrasNotInGfwlist)).as("2. junk reported").containsExactly("googlescholar.comUSA");
        assertThat(minus(ours, theirs)).as("nothing routed that gfwlist2dnsmasq does not route").isEmpty();

        RuleTable table = RuleTable.builder().route("tunnel").addAll("tunnel", list.rules()).build();
        List<String> excluded = theirs.stream().filter(n -> !n.equals("googlescholar.comUSA"))
                .filter(n -> table.lookup(n).excluded()).toList();
        assertThat(excluded).as("3. exceptions honoured")
                .containsExactlyInAnyOrder("bianlei.com", "hiwifi.com", "mvdis.gov.tw", "openwrt.org.cn", "vpser.net");

        assertThat(list.problems()).as("2 + 4. every reported line").hasSize(14)
                .extracting(ParseProblem::line).contains(1432, 6091, 8238, 8241, 8250);
        assertThat(list.skipped()).containsEntry("regex", 3).containsEntry("ip", 10);
        assertThat(list.exceptionCount()).isEqualTo(135);
    }

    @Test
    void conversion_matchesHandAppliedGfwlist2dnsmasqRulesOnFixture() throws IOException {
        ParsedList list = new GfwListFormat().parse("gfwlist", "gfwlist-sample.txt", GfwListFormatTest.fixture("gfwlist-sample.txt"));
        Set<String> theirs = new TreeSet<>(List.of(GfwListFormatTest.fixture("gfwlist-sample.gfwlist2dnsmasq.txt").split("\n")));
        Set<String> ours = routed(list);
        assertThat(minus(ours, theirs)).as("trimmed").containsExactly("neodb.social");
        assertThat(minus(theirs, ours)).as("junk reported, and the untrimmed space")
                .containsExactly("googlescholar.comUSA", "neodb.social ", "s3-ap-*.amazonaws.com");
    }

    private static Set<String> routed(ParsedList list) {
        return list.rules().stream().filter(r -> !r.exception()).map(Rule::value).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
