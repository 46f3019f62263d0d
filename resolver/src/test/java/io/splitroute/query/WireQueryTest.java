package io.splitroute.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitroute.support.DnsClient;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class WireQueryTest {

    @Test
    void parse_readsQuestionFlagsAndEdns() {
        Message q = DnsClient.query("WWW.Example.COM", Type.AAAA, 0);
        q.getHeader().setFlag(Flags.CD);
        q.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);

        WireQuery f = WireQuery.parse(q.toWire());

        assertThat(f.name()).isEqualTo("www.example.com");
        assertThat(f.qtype()).isEqualTo(Type.AAAA);
        assertThat(f.qclass()).isEqualTo(DClass.IN);
        assertThat(f.id()).isEqualTo(q.getHeader().getID());
        assertThat(f.recursionDesired()).isTrue();
        assertThat(f.checkingDisabled()).isTrue();
        assertThat(f.edns()).isTrue();
        assertThat(f.payload()).isEqualTo(4096);
        assertThat(f.dnssecOk()).isTrue();
    }

    @Test
    void parse_escapesDotsAndOddBytesInsideLabels() throws Exception {
        Name weird = Name.fromString("a\\.b.c\\032d.\\255x.example.");
        Message q = Message.newQuery(Record.newRecord(weird, Type.A, DClass.IN));

        WireQuery f = WireQuery.parse(q.toWire());

        assertThat(f.name()).isEqualTo("a\\.b.c\\032d.\\255x.example");
        assertThat(f.name()).isNotEqualTo(WireQuery.parse(DnsClient.query("a.b.c d.x.example", Type.A, 0).toWire()).name());
    }

    @Test
    void parse_rootName() {
        assertThat(WireQuery.parse(DnsClient.query(".", Type.NS, 0).toWire()).name()).isEmpty();
    }

    @Test
    void parse_rejectsTruncatedTrailingGarbageAndTwoOptRecords() {
        byte[] wire = DnsClient.query("a.example", Type.A, 1232).toWire();

        assertThat(WireQuery.parse(wire)).isNotNull();
        assertThat(WireQuery.parse(Arrays.copyOf(wire, wire.length - 1))).isNull();
        assertThat(WireQuery.parse(Arrays.copyOf(wire, wire.length + 1))).isNull();
        Message two = DnsClient.query("a.example", Type.A, 1232);
        two.addRecord(new OPTRecord(512, 0, 0), Section.ADDITIONAL);
        assertThat(WireQuery.parse(two.toWire())).isNull();
    }

    @Test
    void parse_readsTheEdnsVersion() {
        Message q = DnsClient.query("a.example", Type.A, 0);
        q.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);

        assertThat(WireQuery.parse(q.toWire()).ednsVersion()).isEqualTo(1);
    }

    @Test
    void parse_optionsDnsjavaReadsAsBytes_plain_othersLeftToDnsjava() {
        Message cookie = DnsClient.query("a.example", Type.A, 0);
        cookie.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(new byte[8]),
                new GenericEDNSOption(65001, new byte[3]))), Section.ADDITIONAL);
        Message badCookie = DnsClient.query("a.example", Type.A, 0);
        badCookie.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(10, new byte[9]))),
                Section.ADDITIONAL);
        Message subnet = DnsClient.query("a.example", Type.A, 0);
        subnet.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new ClientSubnetOption(24,
                java.net.InetAddress.ofLiteral("198.51.100.0")))), Section.ADDITIONAL);

        assertThat(WireQuery.parse(cookie.toWire())).isNotNull();
        assertThat(WireQuery.parse(badCookie.toWire())).isNull();
        assertThat(WireQuery.parse(subnet.toWire())).isNull();
    }

    @Test
    void parse_nameOf255BytesWithTheRoot_accepted_256_not() {
        byte[] longest = withNameOfLength(255);
        byte[] tooLong = withNameOfLength(256);

        assertThat(WireQuery.parse(longest)).isNotNull();
        assertThat(WireQuery.parse(tooLong)).isNull();
        assertThatThrownBy(() -> new Message(tooLong)).isInstanceOf(java.io.IOException.class);
    }

    /** A query whose question name takes {@code length} bytes on the wire, the root label included. */
    private static byte[] withNameOfLength(int length) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        int left = length - 1;
        while (left > 0) {
            int label = Math.min(63, left - 1);
            if (left - (label + 1) == 1) {
                label--; // never leave a single byte: a label needs a length and at least one byte
            }
            out.write(label);
            out.writeBytes("x".repeat(label).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            left -= label + 1;
        }
        out.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return out.toByteArray();
    }
}
