package io.splitroute.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The decoder's decision for each kind of message: query, BADVERS, FORMERR by reason, NOTIMP, drop. */
class QueryDecoderTest {

    private static Message query(String name) throws Exception {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        m.getHeader().setFlag(Flags.RD);
        return m;
    }

    @Test
    void plainQuery_readFromTheWireWithoutParsing() throws Exception {
        QueryDecoder.Decoded d = QueryDecoder.decode(query("a.example.").toWire());

        assertThat(d.kind()).isEqualTo(QueryDecoder.Kind.QUERY);
        assertThat(d.message()).as("parsed by dnsjava").isNull();
        assertThat(d.fields().name()).isEqualTo("a.example");
        assertThat(d.reason()).isNull();
    }

    @Test
    void validButUnusualQuery_parsedOnceAndResolved() throws Exception {
        Message q = query("Unusual.Example.");
        q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new ClientSubnetOption(24,
                java.net.InetAddress.ofLiteral("198.51.100.0")))), Section.ADDITIONAL);
        q.addRecord(new ARecord(Name.fromString("x.example."), DClass.IN, 60,
                java.net.InetAddress.ofLiteral("192.0.2.1")), Section.ANSWER);

        QueryDecoder.Decoded d = QueryDecoder.decode(q.toWire());

        assertThat(d.kind()).isEqualTo(QueryDecoder.Kind.QUERY);
        assertThat(d.message()).isNotNull();
        assertThat(d.fields().name()).isEqualTo("unusual.example");
        assertThat(d.fields().edns()).isTrue();
        assertThat(d.fields().payload()).isEqualTo(1232);
    }

    @Test
    void ednsVersion1_badvers_plainAndUnusual() throws Exception {
        Message plain = query("a.example.");
        plain.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
        Message unusual = query("a.example.");
        unusual.addRecord(new OPTRecord(1232, 0, 1, 0, List.of(new ClientSubnetOption(24,
                java.net.InetAddress.ofLiteral("198.51.100.0")))), Section.ADDITIONAL);

        assertThat(QueryDecoder.decode(plain.toWire()).kind()).isEqualTo(QueryDecoder.Kind.BADVERS);
        assertThat(QueryDecoder.decode(unusual.toWire()).kind()).isEqualTo(QueryDecoder.Kind.BADVERS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // a label of the reserved type 01
        "name, 12340100000100000000000041787900 00010001",
        // an additional record whose owner is a compression pointer to itself
        "compression, 100001000001000000000001046c6f6f7004636f6e6604746573740000010001 c020000100010000012c0004c0000201",
        // a TXT record whose RDLENGTH (50) runs past the end
        "record-length, 1000010000010000000000010161000001000100 00100001 0000012c 0032 026869",
        // bytes after the last record
        "record-length, 123401000001000000000000016100000100010000",
        // an A record of RDLENGTH 2: framed, but not an address
        "rdata, 1000010000010000000000010b73686f72742d726461746104636f6e66047465 7374000001000100000100010000012c0002c000",
        // an OPT record whose option claims 20 bytes where its RDATA holds 2
        "edns, 1234010000010000000000010161000001000100 00290400000000000006 000a0014 0102",
        // an OPT record in the authority section
        "edns, 123401000001000000010000076578616d706c650474657374000006000100 00291000000080000000",
        // two OPT records
        "edns, 1234010000010000000000020161000001000100 00290400000000000000 0000290400000000000000",
        // a client subnet option dnsjava refuses (family 3)
        "rdata, 1234010000010000000000010161000001000100 00290400000000000008 00080004 00031800",
        // no question
        "question-count, 123401000000000000000000",
        // two questions
        "question-count, 1234010000020000000000000161000001000101620000010001",
    })
    void malformedQuery_formerrWithItsReason(String reason, String hex) {
        byte[] wire = HexFormat.of().parseHex(hex.replace(" ", ""));

        QueryDecoder.Decoded d = QueryDecoder.decode(wire);

        assertThat(d.kind()).isEqualTo(QueryDecoder.Kind.FORMERR);
        assertThat(d.reason().tag()).isEqualTo(reason);
        assertThat(d.fields().id()).isEqualTo(((wire[0] & 0xff) << 8) | (wire[1] & 0xff));
    }

    @Test
    void truncatedFlagSet_recordDnsjavaWouldSilentlyDrop_stillFormerr() {
        // with TC set, dnsjava drops the A record of RDLENGTH 2 instead of failing (as it dropped a bad OPT in
        // the corpus file queries/crash-3a6fc0e61663cffdb5be2b794fe387c59a77ac9f)
        byte[] wire = HexFormat.of().parseHex("1000030000010000000000010b73686f72742d726461746104636f6e66047465"
                + "7374000001000100000100010000012c0002c000");

        QueryDecoder.Decoded d = QueryDecoder.decode(wire);

        assertThat(d.kind()).isEqualTo(QueryDecoder.Kind.FORMERR);
        assertThat(d.reason()).isEqualTo(Malformed.RDATA);
    }

    @Test
    void otherOpcode_notimp_withAndWithoutAReadableBody() throws Exception {
        Message notify = query("a.example.");
        notify.getHeader().setOpcode(Opcode.NOTIFY);

        QueryDecoder.Decoded withQuestion = QueryDecoder.decode(notify.toWire());
        QueryDecoder.Decoded bare = QueryDecoder.decode(HexFormat.of().parseHex("515078000000000000000000"));
        QueryDecoder.Decoded unreadable = QueryDecoder.decode(HexFormat.of().parseHex("5150780000010000000000004178"));

        assertThat(withQuestion.kind()).isEqualTo(QueryDecoder.Kind.NOTIMP);
        assertThat(withQuestion.message().getQuestion()).isEqualTo(notify.getQuestion());
        assertThat(bare.kind()).isEqualTo(QueryDecoder.Kind.NOTIMP);
        assertThat(bare.fields().opcode()).isEqualTo(15);
        assertThat(unreadable.kind()).isEqualTo(QueryDecoder.Kind.NOTIMP);
        assertThat(List.of(withQuestion, bare, unreadable)).allMatch(d -> d.reason() == Malformed.OPCODE);
    }

    @Test
    void responseOrShorterThanAHeader_dropped() throws Exception {
        Message response = query("a.example.");
        response.getHeader().setFlag(Flags.QR);

        assertThat(QueryDecoder.decode(response.toWire()).reason()).isEqualTo(Malformed.RESPONSE);
        assertThat(QueryDecoder.decode(new byte[11]).reason()).isEqualTo(Malformed.SHORT);
        assertThat(QueryDecoder.decode(new byte[11]).kind()).isEqualTo(QueryDecoder.Kind.DROP);
    }
}
