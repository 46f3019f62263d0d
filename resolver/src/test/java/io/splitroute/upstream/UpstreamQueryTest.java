package io.splitroute.upstream;

import static io.splitroute.upstream.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

class UpstreamQueryTest {

    private static final UpstreamQuery QUERY = UpstreamQuery.of(query("www.Example.com.", Type.A));

    /** A reply to {@link #QUERY} as an honest server sends it, then changed by {@code change}. */
    private static Message reply(UnaryOperator<Message> change) {
        Message reply = QUERY.message().clone();
        reply.getHeader().setFlag(Flags.QR);
        return change.apply(reply);
    }

    private static Message withQuestion(Message m, String name, int type, int dclass) {
        try {
            m.removeAllRecords(Section.QUESTION);
            m.addRecord(Record.newRecord(Name.fromString(name), type, dclass), Section.QUESTION);
            return m;
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Stream<Arguments> replies() {
        int otherId = (QUERY.id() + 1) & 0xFFFF;
        return Stream.of(
                Arguments.of("honest reply", reply(m -> m), true),
                Arguments.of("name in other case", reply(m -> withQuestion(m, "WWW.example.COM.", Type.A, DClass.IN)), true),
                Arguments.of("other ID", reply(m -> { m.getHeader().setID(otherId); return m; }), false),
                Arguments.of("other name", reply(m -> withQuestion(m, "evil.example.com.", Type.A, DClass.IN)), false),
                Arguments.of("other type", reply(m -> withQuestion(m, "www.example.com.", Type.AAAA, DClass.IN)), false),
                Arguments.of("other class", reply(m -> withQuestion(m, "www.example.com.", Type.A, DClass.CH)), false),
                Arguments.of("no question", reply(m -> { m.removeAllRecords(Section.QUESTION); return m; }), false),
                Arguments.of("not a reply (QR=0)", reply(m -> { m.getHeader().unsetFlag(Flags.QR); return m; }), false),
                // found by fuzzing (server.UpstreamReplyFuzzTest, corpus file replies/crash-eae6262a...): dnsjava
                // reads an UPDATE's records by UPDATE rules (an A record without data), which the client,
                // getting the reply as a QUERY, cannot parse
                Arguments.of("other opcode (UPDATE)", reply(m -> { m.getHeader().setOpcode(Opcode.UPDATE); return m; }),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replies")
    void accepts_onlyReplyWithSameIdAndQuestion(String label, Message reply, boolean accepted) {
        assertThat(QUERY.accepts(reply)).isEqualTo(accepted);
    }

    @Test
    void of_copiesQueryUnderNewIdKeepingEdnsAndFlags() {
        Message client = query("a.example.", Type.TXT);
        client.getHeader().setFlag(Flags.CD);
        client.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);

        UpstreamQuery upstream = UpstreamQuery.of(client);

        Message sent = upstream.message();
        assertThat(sent.getHeader().getID()).isEqualTo(upstream.id());
        assertThat(sent.getQuestion()).isEqualTo(client.getQuestion());
        assertThat(sent.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(sent.getHeader().getFlag(Flags.CD)).isTrue();
        assertThat(sent.getOPT().getPayloadSize()).isEqualTo(UpstreamQuery.MAX_UDP_PAYLOAD);
        assertThat(sent.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
        assertThat(sent.getSection(Section.ADDITIONAL)).hasSize(1);
        assertThat(client.getHeader().getID()).isEqualTo(4242);
        assertThat(client.getOPT().getPayloadSize()).isEqualTo(4096);
    }

    @Test
    void of_queryWithoutQuestion_rejected() {
        assertThatThrownBy(() -> UpstreamQuery.of(new Message(7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7");
    }
}
