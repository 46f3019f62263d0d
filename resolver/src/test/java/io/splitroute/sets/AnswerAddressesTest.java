package io.splitroute.sets;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.AnswerAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.HTTPSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnswerAddressesTest {
    private static Message reply(Record... answers) throws Exception {
        return reply(Name.fromString("www.blocked.example."), answers);
    }

    private static Message reply(Name question, Record... answers) {
        Message reply = Message.newQuery(Record.newRecord(question, Type.A, DClass.IN));
        for (Record answer : answers) {
            reply.addRecord(answer, Section.ANSWER);
        }
        return reply;
    }

    @Test
    void cnameChain_everyAddressWithItsOwnTtl_noHostNameAttached() throws Exception {
        Name www = Name.fromString("www.blocked.example.");
        Name edge = Name.fromString("edge.cdn.example.");
        Message reply = reply(new CNAMERecord(www, DClass.IN, 600, edge),
                new ARecord(edge, DClass.IN, 60, InetAddress.getByName("192.0.2.7")),
                new AAAARecord(edge, DClass.IN, 90, InetAddress.getByName("2001:db8::7")));

        List<AnswerAddress> found = AnswerAddresses.of(reply, true);

        assertThat(found).extracting(f -> f.address().getHostAddress(), AnswerAddress::ttl)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("192.0.2.7", 60L),
                        org.assertj.core.groups.Tuple.tuple("2001:db8:0:0:0:0:0:7", 90L));
        assertThat(found.get(0).address()).isInstanceOf(Inet4Address.class);
        assertThat(found.get(1).address()).isInstanceOf(Inet6Address.class);
        // No owner name rendered into the address (it would be garbage per miss and memory per cached answer).
        assertThat(found).allSatisfy(f -> assertThat(f.address().toString()).startsWith("/"));
    }

    @Test
    void ipv6LeftOutUnlessAsked_hintsOfHttpsRecordsIncluded() throws Exception {
        Name name = Name.fromString("h.blocked.example.");
        List<SVCBBase.ParameterBase> params = List.of(
                new SVCBBase.ParameterIpv4Hint(List.of((Inet4Address) InetAddress.getByName("192.0.2.44"))),
                new SVCBBase.ParameterIpv6Hint(List.of((Inet6Address) InetAddress.getByName("2001:db8::44"))));
        Message reply = reply(name, new AAAARecord(name, DClass.IN, 300, InetAddress.getByName("2001:db8::1")),
                new HTTPSRecord(name, DClass.IN, 120, 1, Name.root, params));

        assertThat(AnswerAddresses.of(reply, false)).extracting(f -> f.address().getHostAddress(), AnswerAddress::ttl)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("192.0.2.44", 120L));
        assertThat(AnswerAddresses.of(reply, true)).extracting(f -> f.address().getHostAddress())
                .containsExactly("2001:db8:0:0:0:0:0:1", "192.0.2.44", "2001:db8:0:0:0:0:0:44");
    }

    @Test
    void recordsOfNamesOutsideTheChain_ignored_hintsToo() throws Exception {
        Name www = Name.fromString("www.blocked.example.");
        Name victim = Name.fromString("victim.example.");
        List<SVCBBase.ParameterBase> params = List.of(
                new SVCBBase.ParameterIpv4Hint(List.of((Inet4Address) InetAddress.getByName("203.0.113.67"))));
        Message reply = reply(new ARecord(www, DClass.IN, 60, InetAddress.getByName("192.0.2.1")),
                new ARecord(victim, DClass.IN, 86400, InetAddress.getByName("203.0.113.66")),
                new AAAARecord(victim, DClass.IN, 86400, InetAddress.getByName("2001:db8::66")),
                new HTTPSRecord(victim, DClass.IN, 120, 1, Name.root, params));

        assertThat(AnswerAddresses.all(reply)).extracting(f -> f.address().getHostAddress()).containsExactly("192.0.2.1");
    }

    @Test
    void ipv4MappedAaaa_staysIpv6() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        Name www = Name.fromString("www.blocked.example.");
        Message reply = reply(new AAAARecord(www, DClass.IN, 60, Inet6Address.getByAddress(null, mapped, -1)));

        assertThat(AnswerAddresses.all(reply)).singleElement()
                .satisfies(f -> assertThat(f.address()).isInstanceOf(Inet6Address.class));
    }
}
