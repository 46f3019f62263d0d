package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.splitroute.lists.match.DomainNames;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleKind;
import io.splitroute.lists.rule.RuleTable;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for the list parsers: whatever text a list file holds, the parser returns rules and
 * problems, never an exception, and what it returns is usable: every name rule holds a valid name, and
 * in a list without exceptions each name rule routes its own name.
 *
 * <p>In a normal build each target runs once per file of its seed corpus
 * ({@code ListFormatFuzzTestInputs/<method>/}, real list lines). To fuzz one for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl lists test -Dtest=ListFormatFuzzTest#gfwlist}.
 */
class ListFormatFuzzTest {
    private static final String ROUTE = "r";

    @FuzzTest(maxDuration = "10m")
    void gfwlist(byte[] input) {
        check(new GfwListFormat().parse("fuzz", "fuzz.txt", text(input)));
    }

    @FuzzTest(maxDuration = "10m")
    void dnsmasq(byte[] input) {
        String text = text(input);
        check(new DnsmasqFormat().parse("fuzz", "fuzz.conf", text));
        assertThat(new DnsmasqFormat().parseConfig("fuzz", "fuzz.conf", text)).isNotNull();
    }

    @FuzzTest(maxDuration = "10m")
    void domains(byte[] input) {
        check(new DomainsFormat().parse("fuzz", "fuzz.txt", text(input)));
    }

    @FuzzTest(maxDuration = "10m")
    void v2fly(byte[] input) {
        check(new V2flyFormat().parse("fuzz", "data/fuzz", text(input)));
    }

    /** Format detection must not fail either; it runs on every list loaded without a format. */
    @FuzzTest(maxDuration = "10m")
    void detect(byte[] input) {
        String text = text(input);
        check(ListLoader.parse("fuzz", "fuzz", text, ListLoader.detect(text)));
    }

    private static String text(byte[] input) {
        return new String(input, StandardCharsets.UTF_8);
    }

    private static void check(ParsedList list) {
        assertThat(list.summary()).isNotNull();
        assertThat(list.ruleCount()).isEqualTo(list.rules().size());
        for (Rule rule : list.rules()) {
            if (rule.kind() == RuleKind.SUFFIX || rule.kind() == RuleKind.FULL) {
                assertThat(DomainNames.isValid(rule.value())).as("valid name in %s", rule).isTrue();
            }
        }
        RuleTable table = RuleTable.builder().route(ROUTE).addAll(ROUTE, list.rules()).build();
        if (list.exceptionCount() > 0) {
            return;
        }
        for (Rule rule : list.rules()) {
            if (rule.kind() == RuleKind.SUFFIX || rule.kind() == RuleKind.FULL) {
                assertThat(table.lookup(rule.value()).route()).as("route of %s", rule).isEqualTo(ROUTE);
            }
        }
    }
}
