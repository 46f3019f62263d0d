package io.splitroute.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * EDNS (RFC 6891, 7871, 7873, 7830): BADVERS for versions above 0, fresh and cached; unknown options
 * ignored and never echoed; client subnet, cookies and padding not forwarded; splitroute's own UDP size
 * and no undefined flag bits in the reply's OPT; EDNS over TCP. The upstream advertises 4096 bytes, sets
 * an undefined flag bit and echoes whatever options it gets, so anything of it passed through shows.
 */
class EdnsIT {
    private static final int UNKNOWN_OPTION = 65001;
    private static final int PADDING = 12;
    private static ConformanceServer server;

    @BeforeAll
    static void start() throws IOException {
        server = ConformanceServer.start(EdnsIT.class);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Message ask(Message query) {
        return Wire.parse(server.client().udp(query));
    }

    private static void assertBadvers(Message reply) {
        assertThat(reply.getRcode()).as("rcode of\n%s", reply).isEqualTo(Rcode.BADVERS);
        assertThat(reply.getOPT()).as("OPT in\n%s", reply).isNotNull();
        assertThat(reply.getOPT().getVersion()).as("OPT version").isZero();
        assertThat(reply.getSection(Section.ANSWER)).as("answers").isEmpty();
        assertThat(reply.getSection(Section.AUTHORITY)).as("authority (SOA)").isEmpty();
    }

    @Test
    void ednsVersion1_badversWithVersion0_fresh() {
        Message reply = ask(Wire.ednsQuery("version1-fresh.conf.test", Type.A, 1, 0));

        assertBadvers(reply);
        assertThat(server.upstream().receivedFor("version1-fresh.conf.test"))
                .as("queries with an EDNS version splitroute does not speak, forwarded")
                .noneMatch(r -> r.message().getOPT() != null && r.message().getOPT().getVersion() > 0);
    }

    @Test
    void ednsVersion1_badvers_whenTheNameIsCached() {
        ask(Wire.ednsQuery("version1-cached.conf.test", Type.A, 0, 0));
        ask(Wire.ednsQuery("nxversion1-cached.conf.test", Type.A, 0, 0));

        assertBadvers(ask(Wire.ednsQuery("version1-cached.conf.test", Type.A, 1, 0)));
        assertBadvers(ask(Wire.ednsQuery("nxversion1-cached.conf.test", Type.A, 1, 0)));
    }

    @Test
    void unknownOption_ignoredAndNeverEchoed_freshAndCached() {
        for (int attempt = 0; attempt < 2; attempt++) {
            Message reply = ask(Wire.ednsQuery("unknown-option.conf.test", Type.A, 0, 0,
                    new GenericEDNSOption(UNKNOWN_OPTION, new byte[] {1, 2, 3})));

            assertThat(reply.getRcode()).as(reply.toString()).isEqualTo(Rcode.NOERROR);
            assertThat(reply.getSection(Section.ANSWER)).as(reply.toString()).isNotEmpty();
            assertThat(optionCodes(reply.getOPT())).as("options in the reply").doesNotContain(UNKNOWN_OPTION);
        }
    }

    @Test
    void subnetCookieAndPadding_notForwardedNorEchoed() throws IOException {
        String name = "hop-options.conf.test";
        Message reply = ask(Wire.ednsQuery(name, Type.A, 0, 0,
                new ClientSubnetOption(24, InetAddress.getByName("198.51.100.0")),
                new CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                new GenericEDNSOption(PADDING, new byte[32])));

        assertThat(reply.getRcode()).as(reply.toString()).isEqualTo(Rcode.NOERROR);
        List<AuthoritativeUpstream.Received> forwarded = server.upstream().receivedFor(name);
        assertThat(forwarded).isNotEmpty();
        for (AuthoritativeUpstream.Received query : forwarded) {
            assertThat(optionCodes(query.message().getOPT())).as("options forwarded upstream")
                    .doesNotContain(EDNSOption.Code.CLIENT_SUBNET, EDNSOption.Code.COOKIE, PADDING);
        }
        assertThat(optionCodes(reply.getOPT())).as("options in the reply")
                .doesNotContain(EDNSOption.Code.CLIENT_SUBNET, EDNSOption.Code.COOKIE, PADDING);
    }

    @Test
    void replyOpt_advertisesSplitroutesOwnUdpSize_freshAndCached() {
        for (int attempt = 0; attempt < 2; attempt++) {
            Message query = Wire.query("own-size.conf.test", Type.A);
            query.addRecord(new OPTRecord(4000, 0, 0), Section.ADDITIONAL);

            Message reply = ask(query);

            assertThat(reply.getOPT()).as(reply.toString()).isNotNull();
            assertThat(reply.getOPT().getPayloadSize()).as("UDP size in the reply's OPT").isEqualTo(1232);
        }
    }

    @Test
    void undefinedEdnsFlag_clearedInTheReply_freshAndCached() {
        for (int attempt = 0; attempt < 2; attempt++) {
            Message plain = ask(Wire.ednsQuery("edns-flags.conf.test", Type.A, 0, 0x0080));
            Message withDo = ask(Wire.ednsQuery("edns-flags-do.conf.test", Type.A, 0, ExtendedFlags.DO | 0x0080));

            assertThat(plain.getOPT().getFlags()).as("EDNS flags of\n%s", plain).isZero();
            assertThat(withDo.getOPT().getFlags()).as("EDNS flags of\n%s", withDo).isEqualTo(ExtendedFlags.DO);
        }
    }

    @Test
    void tcpWithEdns_answersWithOpt() {
        Message reply = Wire.parse(server.client().tcp(Wire.ednsQuery("tcp-edns.conf.test", Type.A, 0, 0)));

        assertThat(reply.getRcode()).as(reply.toString()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.getSection(Section.ANSWER)).as(reply.toString()).isNotEmpty();
        assertThat(reply.getOPT()).as(reply.toString()).isNotNull();
        assertThat(reply.getOPT().getPayloadSize()).isEqualTo(1232);
    }

    private static List<Integer> optionCodes(OPTRecord opt) {
        return opt == null ? List.of() : opt.getOptions().stream().map(EDNSOption::getCode).toList();
    }
}
