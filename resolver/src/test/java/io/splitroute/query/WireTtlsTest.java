package io.splitroute.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class WireTtlsTest {

    private static Message reply() throws Exception {
        Message m = Message.newQuery(Record.newRecord(Name.fromString("www.example."), Type.A, DClass.IN));
        m.addRecord(new CNAMERecord(Name.fromString("www.example."), DClass.IN, 60, Name.fromString("a.example.")), Section.ANSWER);
        m.addRecord(new ARecord(Name.fromString("a.example."), DClass.IN, 300, java.net.InetAddress.getByName("192.0.2.1")), Section.ANSWER);
        m.addRecord(new OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
        return m;
    }

    @Test
    void subtract_countsDownEveryTtlButLeavesOptFlags() throws Exception {
        byte[] wire = reply().toWire();
        WireTtls.subtract(wire, 100);
        Message back = new Message(wire);

        assertThat(back.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(0L, 200L);
        assertThat(back.getOPT().getFlags() & org.xbill.DNS.ExtendedFlags.DO).isNotZero();
    }

    @Test
    void offsets_truncatedMessageRejected() throws Exception {
        byte[] wire = reply().toWire();
        byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 5);

        assertThatThrownBy(() -> WireTtls.offsets(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends early");
    }
}
