package io.splitroute.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which rule of ip -j -N rule sends packets carrying the mark's bits to the tunnel's table. */
class PolicyRoutingTest {
    private static final String RULES = """
            [{"priority":0,"src":"all","table":"255"},
             {"priority":9000,"src":"all","fwmark":"0x1","fwmask":"0x1","table":"100"},
             {"priority":10000,"src":"all","fwmark":"0xca6c","fwmask":"0xca6c","table":"51820"},
             {"priority":10000,"src":"all","dst":"203.0.113.53","table":"51820"},
             {"priority":32766,"src":"all","table":"254"}]
            """;

    @Test
    void markRule_foundWithItsMask() {
        assertThat(PolicyRouting.markRule(HostTools.json(RULES), 0xca6c, 51820)).containsEntry("priority", 10000);
    }

    @Test
    void markRule_otherTableOrOtherMark_isNone() {
        assertThat(PolicyRouting.markRule(HostTools.json(RULES), 0xca6c, 51821)).isNull();
        assertThat(PolicyRouting.markRule(HostTools.json(RULES), 0x2, 51820)).isNull();
    }

    @Test
    void markRule_withoutMask_matchesTheExactMark() {
        String rules = "[{\"priority\":5,\"fwmark\":\"0xca6c\",\"table\":\"51820\"}]";

        assertThat(PolicyRouting.markRule(HostTools.json(rules), 0xca6c, 51820)).isNotNull();
        assertThat(PolicyRouting.markRule(HostTools.json(rules), 0xca6d, 51820)).isNull();
    }

    @Test
    void markRule_negated_isNone() {
        String rules = "[{\"priority\":5,\"not\":null,\"fwmark\":\"0xca6c\",\"fwmask\":\"0xca6c\",\"table\":\"51820\"}]";

        assertThat(PolicyRouting.markRule(HostTools.json(rules), 0xca6c, 51820)).isNull();
    }
}
