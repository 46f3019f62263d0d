package io.splitroute.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.Query;
import io.splitroute.query.Source;
import io.splitroute.query.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class CachedReplyTest {

    private static Message query() throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString("www.example."), Type.A, DClass.IN));
    }

    private static CachedReply reply() throws Exception {
        Message m = query();
        m.getHeader().setFlag(org.xbill.DNS.Flags.QR);
        m.addRecord(new CNAMERecord(Name.fromString("www.example."), DClass.IN, 60, Name.fromString("a.example.")), Section.ANSWER);
        m.addRecord(new ARecord(Name.fromString("a.example."), DClass.IN, 300, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
        m.addRecord(new AAAARecord(Name.fromString("a.example."), DClass.IN, 200, InetAddress.getByName("2001:db8::1")), Section.ANSWER);
        return CachedReply.of(m, Source.UPSTREAM, "isp", 0, 3600, io.splitroute.sets.AnswerAddresses::all, 0);
    }

    private static Query client() throws Exception {
        return Query.of(query(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), Transport.UDP);
    }

    @Test
    void render_countsDownFromTheStoredTtlsEveryTime() throws Exception {
        CachedReply cached = reply();
        Query q = client();

        Message at100 = new Message(cached.render(q, 100));
        Message at250 = new Message(cached.render(q, 250));
        Message at0 = new Message(cached.render(q, 0));

        assertThat(at100.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(0L, 200L, 100L);
        assertThat(at250.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(0L, 50L, 0L);
        assertThat(at0.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(60L, 300L, 200L);
        assertThat(at0.getHeader().getID()).isEqualTo(q.fields().id());
        assertThat(cached.lifetimeSeconds()).isEqualTo(60);
    }

    @Test
    void addresses_withTheirStoredTtls_ipv6OnlyWhenAsked() throws Exception {
        CachedReply cached = reply();

        assertThat(cached.addresses(true)).containsExactly(
                new io.splitroute.query.AnswerAddress(InetAddress.getByName("192.0.2.1"), 300),
                new io.splitroute.query.AnswerAddress(InetAddress.getByName("2001:db8::1"), 200));
        assertThat(cached.addresses(false)).containsExactly(
                new io.splitroute.query.AnswerAddress(InetAddress.getByName("192.0.2.1"), 300));
    }

    @Test
    void of_normalisesACopy_theUpstreamReplyKeepsItsIdAndOpt() throws Exception {
        Message upstream = query();
        upstream.getHeader().setID(4242);
        upstream.getHeader().setFlag(org.xbill.DNS.Flags.QR);
        upstream.addRecord(new ARecord(Name.fromString("www.example."), DClass.IN, 300, InetAddress.getByName("192.0.2.9")),
                Section.ANSWER);
        upstream.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0), Section.ADDITIONAL);

        CachedReply cached = CachedReply.of(upstream, Source.UPSTREAM, "isp", 0, 3600, io.splitroute.sets.AnswerAddresses::all, 0);

        Message stored = cached.message();
        assertThat(stored.getHeader().getID()).isZero();
        assertThat(stored.getOPT()).isNull();
        assertThat(stored.getHeader().getFlag(org.xbill.DNS.Flags.RA)).isTrue();
        assertThat(stored.getSection(Section.ANSWER)).hasSize(1);
        // The reply the upstream gave is still what it was: it may be answered from as well.
        assertThat(upstream.getHeader().getID()).isEqualTo(4242);
        assertThat(upstream.getOPT()).isNotNull();
        assertThat(upstream.getHeader().getFlag(org.xbill.DNS.Flags.RA)).isFalse();
    }
}
