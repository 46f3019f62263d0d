package io.splitroute.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNSSEC bits through a forwarder (RFC 4035, 6840): CD honoured (passed upstream) and echoed; AD only when
 * the upstream set it and the client asked with DO or AD; RRSIG and NSEC only to clients that set DO, also
 * when the cache holds an answer fetched with DO (and the other way round: a DO client gets signatures
 * after a plain client filled the cache). Names containing {@code secure} come back from the upstream with
 * AD always; {@code signed} names carry signatures when asked with DO, {@code leaky} names always.
 */
class DnssecBitsIT {
    private static ConformanceServer server;

    @BeforeAll
    static void start() throws IOException {
        server = ConformanceServer.start(DnssecBitsIT.class);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Message plain(String name, int type) {
        return Wire.parse(server.client().udp(Wire.ednsQuery(name, type, 0, 0)));
    }

    private static Message withDo(String name, int type) {
        return Wire.parse(server.client().udp(Wire.ednsQuery(name, type, 0, ExtendedFlags.DO)));
    }

    private static Message withAdFlag(String name) {
        Message query = Wire.query(name, Type.A);
        query.getHeader().setFlag(Flags.AD);
        return Wire.parse(server.client().udp(query));
    }

    private static List<Integer> dnssecTypes(Message reply) {
        return java.util.stream.Stream.of(Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL)
                .flatMap(section -> reply.getSection(section).stream())
                .map(Record::getType)
                .filter(type -> type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3)
                .toList();
    }

    @Test
    void checkingDisabled_passedUpstreamAndEchoed_freshAndCached() {
        for (int attempt = 0; attempt < 2; attempt++) {
            Message query = Wire.ednsQuery("cd-upstream.conf.test", Type.A, 0, ExtendedFlags.DO);
            query.getHeader().setFlag(Flags.CD);

            Message reply = Wire.parse(server.client().udp(query));

            assertThat(reply.getHeader().getFlag(Flags.CD)).as("CD in\n%s", reply).isTrue();
        }
        assertThat(server.upstream().receivedFor("cd-upstream.conf.test"))
                .isNotEmpty()
                .allMatch(r -> r.message().getHeader().getFlag(Flags.CD), "sent upstream with CD");
    }

    @Test
    void authenticData_clearForAClientThatAskedWithNeitherDoNorAd_freshAndCached() {
        for (int attempt = 0; attempt < 2; attempt++) {
            Message reply = plain("secure-plain.conf.test", Type.A);

            assertThat(reply.getHeader().getFlag(Flags.AD)).as("AD in\n%s", reply).isFalse();
        }
    }

    @Test
    void authenticData_keptForDoAndForAdClients_freshAndCached() {
        for (int attempt = 0; attempt < 2; attempt++) {
            Message doReply = withDo("secure-do.conf.test", Type.A);
            Message adReply = withAdFlag("secure-ad.conf.test");

            assertThat(doReply.getHeader().getFlag(Flags.AD)).as("AD in\n%s", doReply).isTrue();
            assertThat(adReply.getHeader().getFlag(Flags.AD)).as("AD in\n%s", adReply).isTrue();
        }
    }

    @Test
    void authenticData_neverWhenTheUpstreamDidNotSetIt() {
        Message doReply = withDo("unvalidated-do.conf.test", Type.A);
        Message adReply = withAdFlag("unvalidated-ad.conf.test");

        assertThat(doReply.getHeader().getFlag(Flags.AD)).as("AD in\n%s", doReply).isFalse();
        assertThat(adReply.getHeader().getFlag(Flags.AD)).as("AD in\n%s", adReply).isFalse();
    }

    @Test
    void signatures_onlyToDoClients_evenWhenTheUpstreamSendsThemAnyway() {
        Message doReply = withDo("signed-do.conf.test", Type.A);
        Message leakyAnswer = plain("leaky.conf.test", Type.A);
        Message leakyNegative = plain("nxleaky.conf.test", Type.A);

        assertThat(dnssecTypes(doReply)).as("DNSSEC records in\n%s", doReply).contains(Type.RRSIG);
        assertThat(dnssecTypes(leakyAnswer)).as("DNSSEC records in\n%s", leakyAnswer).isEmpty();
        assertThat(leakyAnswer.getSection(Section.ANSWER)).isNotEmpty();
        assertThat(leakyNegative.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(dnssecTypes(leakyNegative)).as("DNSSEC records in\n%s", leakyNegative).isEmpty();
    }

    @Test
    void answerCachedWithDo_servedWithoutSignaturesToAPlainClient() {
        Message first = withDo("signed-cached.conf.test", Type.A);
        Message second = plain("signed-cached.conf.test", Type.A);
        Message negativeFirst = withDo("nxsigned-cached.conf.test", Type.A);
        Message negativeSecond = plain("nxsigned-cached.conf.test", Type.A);

        assertThat(dnssecTypes(first)).contains(Type.RRSIG);
        assertThat(second.getSection(Section.ANSWER)).as(second.toString()).isNotEmpty();
        assertThat(dnssecTypes(second)).as("DNSSEC records in\n%s", second).isEmpty();
        assertThat(dnssecTypes(negativeFirst)).contains(Type.NSEC);
        assertThat(dnssecTypes(negativeSecond)).as("DNSSEC records in\n%s", negativeSecond).isEmpty();
    }

    @Test
    void answerCachedWithoutDo_servedWithSignaturesToADoClient() {
        Message first = plain("signed-later.conf.test", Type.A);
        Message second = withDo("signed-later.conf.test", Type.A);

        assertThat(dnssecTypes(first)).isEmpty();
        assertThat(dnssecTypes(second)).as("DNSSEC records in\n%s", second).contains(Type.RRSIG);
    }
}
