package io.splitroute.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * Fuzz target for the query wire check, side by side with dnsjava's parser: the wire check never throws;
 * what it accepts dnsjava parses too (the pipeline parses accepted queries later and must not fail there),
 * with the same question, flags and EDNS fields.
 *
 * <p>The seed corpus ({@code WireQueryFuzzTestInputs/queries/}) holds real queries as dig and genreport
 * sent them. To fuzz for real: {@code JAZZER_FUZZ=1 ./mvnw -pl resolver -am test
 * -Dtest=WireQueryFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class WireQueryFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void queries(byte[] wire) throws TextParseException {
        WireQuery fields = WireQuery.parse(wire);
        if (fields == null) {
            return; // not the plain form: the decoder frames it and lets dnsjava decide (QueryDecoderFuzzTest)
        }
        Message message;
        try {
            message = new Message(wire);
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("the wire check accepted what dnsjava rejects: " + e, e);
        }
        Record question = message.getQuestion();
        assertThat(question).isNotNull();
        assertThat(Name.fromString(fields.name().isEmpty() ? "." : fields.name() + "."))
                .as("question name").isEqualTo(question.getName());
        assertThat(fields.qtype()).isEqualTo(question.getType());
        assertThat(fields.qclass()).isEqualTo(question.getDClass());
        assertThat(fields.id()).isEqualTo(message.getHeader().getID());
        assertThat(fields.recursionDesired()).isEqualTo(message.getHeader().getFlag(Flags.RD));
        assertThat(fields.checkingDisabled()).isEqualTo(message.getHeader().getFlag(Flags.CD));
        assertThat(fields.authenticData()).isEqualTo(message.getHeader().getFlag(Flags.AD));
        assertThat(fields.opcode()).isEqualTo(message.getHeader().getOpcode());
        OPTRecord opt = message.getOPT();
        assertThat(fields.edns()).as("EDNS").isEqualTo(opt != null);
        if (opt != null) {
            assertThat(fields.payload()).isEqualTo(opt.getPayloadSize());
            assertThat(fields.ednsVersion()).isEqualTo(opt.getVersion());
            assertThat(fields.dnssecOk()).isEqualTo((opt.getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0);
        }
        assertThat(WireQuery.read(message, wire)).as("the fields dnsjava's reading gives").isEqualTo(fields);
    }
}
