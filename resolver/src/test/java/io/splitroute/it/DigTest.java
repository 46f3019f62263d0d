package io.splitroute.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DigTest {

    /** What dig 9.18 prints for {@code +noall +comments +answer} with two questions, the second NXDOMAIN. */
    private static final String TWO_REPLIES = """
            ;; Got answer:
            ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 21166
            ;; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1
            ;; WARNING: recursion requested but not available

            ;; OPT PSEUDOSECTION:
            ; EDNS: version: 0, flags:; udp: 1232
            ;; ANSWER SECTION:
            alias.cmp.test.\t\t300\tIN\tCNAME\twww.cmp.test.
            www.cmp.test.\t\t299\tIN\tA\t192.0.2.10

            ;; Got answer:
            ;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 39814
            ;; flags: qr tc rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1

            ;; OPT PSEUDOSECTION:
            ; EDNS: version: 0, flags:; udp: 1232
            """;

    @Test
    void parse_oneReplyPerHeaderWithStatusFlagsAndAnswers() {
        List<Dig.Reply> replies = Dig.parse(TWO_REPLIES);

        assertThat(replies).hasSize(2);
        assertThat(replies.get(0).status()).isEqualTo("NOERROR");
        assertThat(replies.get(0).flags()).containsExactlyInAnyOrder("qr", "aa", "rd");
        assertThat(replies.get(0).answers()).containsExactly(
                new Dig.Answer("alias.cmp.test.", 300, "CNAME", "www.cmp.test."),
                new Dig.Answer("www.cmp.test.", 299, "A", "192.0.2.10"));
        assertThat(replies.get(0).data("A")).containsExactly("192.0.2.10");
        assertThat(replies.get(1).status()).isEqualTo("NXDOMAIN");
        assertThat(replies.get(1).flags()).contains("tc", "ra");
        assertThat(replies.get(1).answers()).isEmpty();
    }

    @Test
    void parse_noReplyWhenServerUnreachable() {
        String unreachable = """
                ;; communications error to 127.0.0.1#1: connection refused
                ;; no servers could be reached
                """;

        assertThat(Dig.parse(unreachable)).isEmpty();
    }
}
