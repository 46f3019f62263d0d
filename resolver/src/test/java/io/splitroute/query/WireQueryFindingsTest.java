package io.splitroute.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Message;

/**
 * What fuzzing {@link WireQueryFuzzTest} (and the conformance suite) found: queries the wire check once
 * accepted although dnsjava cannot parse them (they then failed inside the pipeline: no reply at all, and two
 * warnings with stack traces in the log per message), or read differently from dnsjava. The wire check now
 * accepts only the plain form of a query and leaves the rest to the decoder's full framing and parse
 * ({@code server.QueryDecoderTest} checks the FORMERR each gets). The same messages with TC set parse in
 * dnsjava, which then silently drops the records it cannot read (corpus file
 * {@code queries/crash-3a6fc0e61663cffdb5be2b794fe387c59a77ac9f}); the decoder clears TC before parsing.
 */
class WireQueryFindingsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // found by the fuzzer after 204 runs (corpus file queries/crash-e2150510a02c3aaabc06cbc0b15715adc0624357):
        // PTR 1.2.0.192.in-addr.arpa with an OPT record whose cookie option claims 0x2108 bytes
        "'truncated EDNS option', " +
                "1234012000010000000000010131013201300331393207696e2d616464720461"
                + "72706100000c000100002904d000000000000c000a2108f229541ec8d7ff27",
        // loop.conf.test A with an additional A record whose owner is a compression pointer to itself
        "'compression loop in a record', " +
                "100001000001000000000001046c6f6f7004636f6e6604746573740000010001"
                + "c020000100010000012c0004c0000201",
        // short-rdata.conf.test A with an additional A record of RDLENGTH 2
        "'A record with RDLENGTH 2', " +
                "1000010000010000000000010b73686f72742d726461746104636f6e66047465"
                + "7374000001000100000100010000012c0002c000",
    })
    void wireCheck_rejectsWhatDnsjavaCannotParse(String kind, String hex) {
        byte[] wire = HexFormat.of().parseHex(hex);

        assertThatThrownBy(() -> new Message(wire)).as("dnsjava on " + kind).isInstanceOf(IOException.class);
        assertThat(WireQuery.parse(wire)).as("wire check on " + kind).isNull();
    }

    /**
     * An OPT record whose extended-RCODE byte has its top bit set (TTL {@code ff018000}: extended RCODE 255,
     * version 1, DO): dnsjava takes the TTL as 0, so the query it forwards has version 0 and no DO, while
     * the wire check (cache key, reply OPT) reads version 1 and DO. Found after 22 991 runs (corpus file
     * {@code queries/crash-6087e06b2586b988e537f40dec63421d39e84253}).
     */
    @org.junit.jupiter.api.Test
    void optWithExtendedRcodeTopBit_leftToDnsjavaAndReadAsItReadsIt() throws IOException {
        byte[] wire = HexFormat.of().parseHex("123401000001000000000001076578616d706c650474657374000006000100"
                + "002910f8ff0180000000");
        Message message = new Message(wire);

        assertThat(WireQuery.parse(wire)).as("plain form").isNull();
        WireQuery read = WireQuery.read(message, message.toWire());
        assertThat(read.dnssecOk()).isEqualTo((message.getOPT().getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0);
        assertThat(read.ednsVersion()).isEqualTo(message.getOPT().getVersion());
    }

    /**
     * An OPT record in the authority section (NSCOUNT 1, ARCOUNT 0): the wire check reads it as EDNS
     * (payload 4096, DO; cache key, reply OPT) while dnsjava, which looks for OPT in the additional section
     * only, forwards the query without one. RFC 6891 puts OPT in the additional section: FORMERR, or at least
     * the same reading on both sides. Found after 430 runs (corpus file
     * {@code queries/crash-ab4e5dd856794c1170b7ea168b7bf1d562a64473}).
     */
    @org.junit.jupiter.api.Test
    void optOutsideTheAdditionalSection_notThePlainForm() throws IOException {
        byte[] wire = HexFormat.of().parseHex("123401000001000000010000076578616d706c650474657374000006000100"
                + "00291000000080000000");
        new Message(wire); // dnsjava reads it, without EDNS: the decoder answers FORMERR instead

        assertThat(WireQuery.parse(wire)).isNull();
    }
}
