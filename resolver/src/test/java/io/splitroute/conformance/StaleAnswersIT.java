package io.splitroute.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A stale answer (RFC 8767: the cache serves an expired entry, every TTL 30, when the upstream fails) obeys the
 * same rules as every other reply: AA clear, RA set, ID, RD, CD and the question's spelling echoed, AD only for
 * a DO client, signatures only to DO clients, splitroute's own OPT exactly when the query had one, and the
 * UDP cap of 1232 bytes (512 without EDNS) with TC, also for an answer first fetched over TCP. Names with
 * {@code stale} in their first label expire after one second; the upstream is then made to fail for them.
 */
class StaleAnswersIT {
    private static ConformanceServer server;

    @BeforeAll
    static void start() throws IOException {
        server = ConformanceServer.start(StaleAnswersIT.class);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** After {@code name}'s answer is cached: the upstream fails for it and the answer expires. */
    private static void expireAndFail(String name) throws InterruptedException {
        server.upstream().failFrom(name);
        Thread.sleep(1_500); // past the answer's TTL of 1 s
    }

    private static List<Record> records(Message reply) {
        return Stream.of(Section.ANSWER, Section.AUTHORITY)
                .flatMap(section -> reply.getSection(section).stream()).toList();
    }

    private static void assertStale(Message reply) {
        assertThat(reply.getRcode()).as("rcode of\n%s", reply).isEqualTo(Rcode.NOERROR);
        assertThat(reply.getSection(Section.ANSWER)).as("answer of\n%s", reply).isNotEmpty();
        assertThat(records(reply)).extracting(Record::getTTL).as("TTLs of\n%s", reply).containsOnly(30L);
        assertThat(reply.getHeader().getFlag(Flags.AA)).as("AA in\n%s", reply).isFalse();
        assertThat(reply.getHeader().getFlag(Flags.RA)).as("RA in\n%s", reply).isTrue();
    }

    @Test
    void staleAnswerToADoClient_signaturesAdCdAndOwnOpt() throws Exception {
        String name = "stale-secure-signed.conf.test";
        Message fetch = Wire.ednsQuery(name, Type.A, 0, ExtendedFlags.DO);
        fetch.getHeader().setFlag(Flags.CD);
        assertThat(records(Wire.parse(server.client().udp(fetch)))).extracting(Record::getType).contains(Type.RRSIG);
        expireAndFail(name);

        Message query = Wire.ednsQuery("StAlE-secure-SIGNED.conf.test", Type.A, 0, ExtendedFlags.DO);
        query.getHeader().setFlag(Flags.CD);
        query.getHeader().unsetFlag(Flags.RD);
        byte[] wire = server.client().udp(query);
        Message reply = Wire.parse(wire);

        assertStale(reply);
        assertThat(Wire.id(wire)).isEqualTo(query.getHeader().getID());
        assertThat(reply.getHeader().getFlag(Flags.RD)).as("RD").isFalse();
        assertThat(reply.getHeader().getFlag(Flags.CD)).as("CD").isTrue();
        assertThat(reply.getHeader().getFlag(Flags.AD)).as("AD for a DO client").isTrue();
        assertThat(Wire.headerFlags(wire) & Wire.Z_BIT).as("Z").isZero();
        assertThat(reply.getQuestion().getName().toString()).isEqualTo("StAlE-secure-SIGNED.conf.test.");
        assertThat(records(reply)).extracting(Record::getType).contains(Type.A, Type.RRSIG);
        OPTRecord opt = reply.getOPT();
        assertThat(opt).as("OPT in\n%s", reply).isNotNull();
        assertThat(opt.getPayloadSize()).isEqualTo(1232);
        assertThat(opt.getVersion()).isZero();
        assertThat(opt.getFlags()).isEqualTo(ExtendedFlags.DO);
        assertThat(opt.getOptions()).isEmpty();
        assertThat(server.upstream().receivedFor(name)).as("asked again after expiry").hasSizeGreaterThan(1);
    }

    @Test
    void staleAnswerToAPlainClient_noSignaturesNoAdNoOpt() throws Exception {
        String name = "stale-secure-leaky.conf.test";
        assertThat(records(Wire.parse(server.client().udp(Wire.query(name, Type.A)))))
                .extracting(Record::getType).as("fresh: the signatures the upstream sends anyway filtered")
                .containsOnly(Type.A);
        expireAndFail(name);

        Message reply = Wire.parse(server.client().udp(Wire.query(name, Type.A)));

        assertStale(reply);
        assertThat(reply.getHeader().getFlag(Flags.RD)).as("RD").isTrue();
        assertThat(reply.getHeader().getFlag(Flags.AD)).as("AD without DO or AD").isFalse();
        assertThat(records(reply)).extracting(Record::getType).containsOnly(Type.A);
        assertThat(reply.getOPT()).as("OPT for a query without one").isNull();
    }

    @Test
    void staleAnswerFirstFetchedOverTcp_cappedOverUdp() throws Exception {
        String name = "big-stale.conf.test";
        Message hugeBuffer = Wire.query(name, Type.A);
        hugeBuffer.addRecord(new OPTRecord(65535, 0, 0), Section.ADDITIONAL);
        assertThat(Wire.parse(server.client().tcp(hugeBuffer)).getSection(Section.ANSWER))
                .hasSize(ZoneAnswers.BIG_ANSWER);
        expireAndFail(name);

        byte[] withEdns = server.client().udp(hugeBuffer);
        byte[] plain = server.client().udp(Wire.query(name, Type.A));
        Message whole = Wire.parse(server.client().tcp(hugeBuffer));

        assertThat(withEdns.length).as("UDP reply with EDNS").isLessThanOrEqualTo(1232);
        assertThat(Wire.parse(withEdns).getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(Wire.parse(withEdns).getOPT()).as("OPT kept when cut").isNotNull();
        assertThat(plain.length).as("UDP reply without EDNS").isLessThanOrEqualTo(512);
        assertThat(Wire.parse(plain).getHeader().getFlag(Flags.TC)).isTrue();
        assertStale(whole);
        assertThat(whole.getSection(Section.ANSWER)).as("over TCP, whole").hasSize(ZoneAnswers.BIG_ANSWER);
        assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();
    }
}
