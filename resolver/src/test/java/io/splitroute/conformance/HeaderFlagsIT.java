package io.splitroute.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Header bits of every reply to a QUERY (RFC 1035, 6891, 8906): AA clear on what splitroute did not
 * answer as an authority, RA set on every reply (FORMERR, REFUSED and SERVFAIL too), RD, CD and ID echoed,
 * the question echoed as asked, an OPT record exactly when the query had one, the Z bit answered as zero.
 * Each rule is checked on the first answer (fresh from the upstream) and on the second (from the cache);
 * the upstream sets AA on everything, like the authority it is.
 */
class HeaderFlagsIT {
    private static ConformanceServer server;

    @BeforeAll
    static void start() throws IOException {
        server = ConformanceServer.start(HeaderFlagsIT.class);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Sends the query built for the attempt number (0 = fresh, 1 = cached) and parses both replies. */
    private static List<Message> freshAndCached(IntFunction<byte[]> query) {
        return List.of(Wire.parse(server.client().udp(query.apply(0))),
                Wire.parse(server.client().udp(query.apply(1))));
    }

    @Test
    void upstreamAnswer_aaClearRaSet_freshAndCached() {
        List<Message> replies = freshAndCached(attempt -> Wire.query("answer.conf.test", Type.A).toWire());

        for (Message reply : replies) {
            assertThat(reply.getRcode()).as(reply.toString()).isEqualTo(Rcode.NOERROR);
            assertThat(reply.getSection(Section.ANSWER)).as(reply.toString()).isNotEmpty();
            assertThat(reply.getHeader().getFlag(Flags.AA)).as("AA in\n%s", reply).isFalse();
            assertThat(reply.getHeader().getFlag(Flags.RA)).as("RA in\n%s", reply).isTrue();
        }
    }

    @Test
    void nxdomainAndNodata_aaClearRaSet_freshAndCached() {
        List<Message> nx = freshAndCached(attempt -> Wire.query("nxname.conf.test", Type.A).toWire());
        List<Message> nodata = freshAndCached(attempt -> Wire.query("nodata.conf.test", Type.TXT).toWire());

        for (Message reply : List.of(nx.get(0), nx.get(1), nodata.get(0), nodata.get(1))) {
            assertThat(reply.getHeader().getFlag(Flags.AA)).as("AA in\n%s", reply).isFalse();
            assertThat(reply.getHeader().getFlag(Flags.RA)).as("RA in\n%s", reply).isTrue();
        }
        assertThat(nx.get(1).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nodata.get(1).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void servfail_raSet() {
        Message reply = Wire.parse(server.client().udp(Wire.query("failing.conf.test", Type.A)));

        assertThat(reply.getRcode()).as(reply.toString()).isEqualTo(Rcode.SERVFAIL);
        assertThat(reply.getHeader().getFlag(Flags.RA)).as("RA in\n%s", reply).isTrue();
        assertThat(reply.getHeader().getFlag(Flags.AA)).as("AA in\n%s", reply).isFalse();
    }

    @Test
    void refused_raSetIdAndQuestionEchoed() {
        Message query = Wire.query("Outsider.Conf.Test", Type.A);

        Message reply = Wire.parse(server.outsider().udp(query));

        assertThat(reply.getRcode()).as(reply.toString()).isEqualTo(Rcode.REFUSED);
        assertThat(reply.getHeader().getFlag(Flags.RA)).as("RA in\n%s", reply).isTrue();
        assertThat(reply.getHeader().getFlag(Flags.AA)).as("AA in\n%s", reply).isFalse();
        assertThat(reply.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(reply.getQuestion().getName().toString()).isEqualTo("Outsider.Conf.Test.");
    }

    @Test
    void formerr_raSetIdEchoed() {
        byte[] badLabel = Wire.raw(0x4242, 0, 1, 0, 0, 0, Wire.bytes(0x41, 'a', 0), Wire.u16(Type.A, 1));

        byte[] reply = server.client().udp(badLabel);

        assertThat(Wire.id(reply)).isEqualTo(0x4242);
        assertThat(Wire.headerFlags(reply) & 0x000f).as("rcode").isEqualTo(Rcode.FORMERR);
        assertThat(Wire.headerFlags(reply) & 0x0080).as("RA").isNotZero();
    }

    @Test
    void recursionDesired_echoedSetAndClear_freshAndCached() {
        List<Message> withRd = freshAndCached(attempt -> Wire.query("rd-set.conf.test", Type.A).toWire());
        List<Message> withoutRd = freshAndCached(
                attempt -> Wire.withHeaderBits(Wire.query("rd-clear.conf.test", Type.A), 0, 0x0100));

        assertThat(withRd).allSatisfy(reply -> assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue());
        assertThat(withoutRd).allSatisfy(reply -> assertThat(reply.getHeader().getFlag(Flags.RD))
                .as("RD in\n%s", reply).isFalse());
    }

    @Test
    void checkingDisabled_echoed_freshAndCached() {
        List<Message> replies = freshAndCached(attempt -> {
            Message query = Wire.query("cd-echo.conf.test", Type.A);
            query.getHeader().setFlag(Flags.CD);
            return query.toWire();
        });

        assertThat(replies).allSatisfy(reply -> assertThat(reply.getHeader().getFlag(Flags.CD))
                .as("CD in\n%s", reply).isTrue());
    }

    @Test
    void id_echoed_freshAndCached() {
        int[] ids = {0x0001, 0xfffe};
        List<Message> replies = freshAndCached(attempt -> {
            Message query = Wire.query("id-echo.conf.test", Type.A);
            query.getHeader().setID(ids[attempt]);
            return query.toWire();
        });

        assertThat(replies.get(0).getHeader().getID()).isEqualTo(ids[0]);
        assertThat(replies.get(1).getHeader().getID()).isEqualTo(ids[1]);
    }

    @Test
    void question_caseAsAsked_freshAndCached() {
        String[] spellings = {"MiXeD-Case.Conf.Test", "mIxEd-cASE.cONF.tEST"};
        List<Message> replies = freshAndCached(attempt -> Wire.query(spellings[attempt], Type.A).toWire());

        assertThat(replies.get(0).getQuestion().getName().toString()).isEqualTo(spellings[0] + ".");
        assertThat(replies.get(1).getQuestion().getName().toString()).isEqualTo(spellings[1] + ".");
    }

    @Test
    void optRecord_exactlyWhenTheQueryHadOne_freshAndCached() {
        String name = "opt-presence.conf.test";
        Message plainFresh = Wire.parse(server.client().udp(Wire.query(name, Type.A)));
        Message ednsCached = Wire.parse(server.client().udp(Wire.ednsQuery(name, Type.A, 0, 0)));
        Message plainCached = Wire.parse(server.client().udp(Wire.query(name, Type.A)));
        String other = "opt-presence-2.conf.test";
        Message ednsFresh = Wire.parse(server.client().udp(Wire.ednsQuery(other, Type.A, 0, 0)));
        Message plainAfterEdns = Wire.parse(server.client().udp(Wire.query(other, Type.A)));

        assertThat(plainFresh.getOPT()).as("OPT in\n%s", plainFresh).isNull();
        assertThat(ednsCached.getOPT()).as("OPT in\n%s", ednsCached).isNotNull();
        assertThat(plainCached.getOPT()).as("OPT in\n%s", plainCached).isNull();
        assertThat(ednsFresh.getOPT()).as("OPT in\n%s", ednsFresh).isNotNull();
        assertThat(plainAfterEdns.getOPT()).as("OPT in\n%s", plainAfterEdns).isNull();
    }

    @Test
    void errorReplies_carryOptExactlyWhenTheQueryDid() {
        Message servfailEdns = Wire.parse(server.client().udp(Wire.ednsQuery("failing-edns.conf.test", Type.A, 0, 0)));
        Message servfailPlain = Wire.parse(server.client().udp(Wire.query("failing-plain.conf.test", Type.A)));
        Message refusedEdns = Wire.parse(server.outsider().udp(Wire.ednsQuery("refused-edns.conf.test", Type.A, 0, 0)));
        Message refusedPlain = Wire.parse(server.outsider().udp(Wire.query("refused-plain.conf.test", Type.A)));

        assertThat(servfailEdns.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(servfailEdns.getOPT()).as("OPT in\n%s", servfailEdns).isNotNull();
        assertThat(servfailPlain.getOPT()).as("OPT in\n%s", servfailPlain).isNull();
        assertThat(refusedEdns.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(refusedEdns.getOPT()).as("OPT in\n%s", refusedEdns).isNotNull();
        assertThat(refusedPlain.getOPT()).as("OPT in\n%s", refusedPlain).isNull();
    }

    @Test
    void zBit_answeredNormallyWithZClear_freshAndCached() {
        List<byte[]> replies = List.of(
                server.client().udp(Wire.withHeaderBits(Wire.query("zbit.conf.test", Type.A), Wire.Z_BIT, 0)),
                server.client().udp(Wire.withHeaderBits(Wire.query("zbit.conf.test", Type.A), Wire.Z_BIT, 0)));

        for (byte[] reply : replies) {
            assertThat(Wire.headerFlags(reply) & Wire.Z_BIT).as("Z").isZero();
            Message parsed = Wire.parse(reply);
            assertThat(parsed.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(parsed.getSection(Section.ANSWER)).isNotEmpty();
        }
    }
}
