package io.splitroute.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mangle table of iptables-save: which rule marks packets to an ipset, with what, reached from where. */
class IptablesRulesTest {
    private static String sample() throws IOException {
        try (InputStream in = IptablesRulesTest.class.getResourceAsStream("iptables-save-splitroute.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void routingScriptRules_markTheSetFromPreroutingAndOutput() throws Exception {
        List<Marking> found = IptablesRules.parse(sample()).markingsOf("gfwlist");

        assertThat(found).singleElement().satisfies(m -> {
            assertThat(m.where()).isEqualTo("iptables mangle SPLITROUTE");
            assertThat(m.sets(0xca6c)).isTrue();
            assertThat(m.fromPrerouting()).isTrue();
            assertThat(m.fromOutput()).isTrue();
        });
    }

    @Test
    void anotherSet_isNotMarked() throws Exception {
        assertThat(IptablesRules.parse(sample()).markingsOf("other")).isEmpty();
    }

    @Test
    void withoutTheOutputJump_theRoutersOwnTrafficIsNotCovered() throws Exception {
        Marking m = IptablesRules.parse(sample().replace("-A OUTPUT -j SPLITROUTE\n", "")).markingsOf("gfwlist").getFirst();

        assertThat(m.fromPrerouting()).isTrue();
        assertThat(m.fromOutput()).isFalse();
        assertThat(m.outputProblem()).isEqualTo("nothing in OUTPUT leads to SPLITROUTE");
    }

    @Test
    void lanInterfaceJumpAndNestedChains_stillReachTheRule() {
        String save = """
                *mangle
                :PREROUTING ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                :A - [0:0]
                :B - [0:0]
                -A PREROUTING -i br-lan -m comment --comment "lan \\"clients\\"" -j A
                -A OUTPUT -g B
                -A A -j B
                -A B -m set --match-set gfwlist dst,dst -j MARK --set-xmark 0x1ca6c/0xffffffff
                COMMIT
                """;

        Marking m = IptablesRules.parse(save).markingsOf("gfwlist").getFirst();

        assertThat(m.sets(0xca6c)).isTrue();
        assertThat(m.fromPrerouting()).isTrue();
        assertThat(m.fromOutput()).isTrue();
    }

    @Test
    void otherBitsOrANegatedMatch_doNotCount() {
        String save = """
                *mangle
                :PREROUTING ACCEPT [0:0]
                -A PREROUTING -m set --match-set gfwlist dst -j MARK --set-xmark 0x1/0x1
                -A PREROUTING -m set ! --match-set gfwlist dst -j MARK --set-xmark 0xca6c/0xca6c
                COMMIT
                *nat
                -A PREROUTING -m set --match-set gfwlist dst -j MARK --set-xmark 0xca6c/0xca6c
                COMMIT
                """;

        List<Marking> found = IptablesRules.parse(save).markingsOf("gfwlist");

        assertThat(found).singleElement().satisfies(m -> assertThat(m.sets(0xca6c)).isFalse());
    }

    @Test
    void words_keepAQuotedCommentWhole() {
        assertThat(IptablesRules.words("-A X -m comment --comment \"a b\" -j Y"))
                .containsExactly("-A", "X", "-m", "comment", "--comment", "a b", "-j", "Y");
    }
}
