package io.splitroute.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
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
}
