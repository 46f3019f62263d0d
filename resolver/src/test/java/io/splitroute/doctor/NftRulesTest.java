package io.splitroute.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nftables ruleset as nft -j prints it: which rule marks packets to a set, and whether both hooks reach it. */
class NftRulesTest {
    /** What the nft routing script's up loads, as nft -j list ruleset printed it. */
    private static String sample() throws IOException {
        try (InputStream in = NftRulesTest.class.getResourceAsStream("nft-ruleset-splitroute.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void routingScriptRuleset_marksBothSetsFromPreroutingAndOutput() throws Exception {
        NftRules rules = NftRules.parse(sample());

        for (String set : List.of("gfwlist", "gfwlist6")) {
            assertThat(rules.markingsOf("inet splitroute", set)).as(set).singleElement().satisfies(m -> {
                assertThat(m.where()).isEqualTo("nft inet splitroute marking");
                assertThat(m.sets(0xca6c)).isTrue();
                assertThat(m.fromPrerouting()).isTrue();
                assertThat(m.fromOutput()).isTrue();
            });
        }
    }

    @Test
    void setOfAnotherTable_isNotMarked() throws Exception {
        assertThat(NftRules.parse(sample()).markingsOf("inet fw4", "gfwlist")).isEmpty();
    }

    @Test
    void outputChainOfTypeFilter_doesNotReRouteTheRoutersTraffic() throws Exception {
        String filter = sample().replace("\"type\": \"route\", \"hook\": \"output\"", "\"type\": \"filter\", \"hook\": \"output\"");

        Marking m = NftRules.parse(filter).markingsOf("inet splitroute", "gfwlist").getFirst();

        assertThat(filter).isNotEqualTo(sample());
        assertThat(m.fromOutput()).isFalse();
        assertThat(m.outputProblem()).contains("type filter, which does not re-route");
    }

    @Test
    void constantMark_withOtherBits_isNotTheMark() throws Exception {
        String other = sample().replace("51820]", "1]");

        assertThat(NftRules.parse(other).markingsOf("inet splitroute", "gfwlist").getFirst().sets(0xca6c)).isFalse();
    }

    @Test
    void notNftOutput_isRefused() {
        assertThatThrownBy(() -> NftRules.parse("[1, 2]")).isInstanceOf(IllegalArgumentException.class);
    }
}
