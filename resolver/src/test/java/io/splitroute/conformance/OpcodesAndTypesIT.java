package io.splitroute.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Opcodes and query types (RFC 1035, 3597, 8906): any opcode but QUERY gets NOTIMP with the opcode and ID
 * echoed and AA and RA clear (both are defined only for QUERY), with or without a question; a query type
 * splitroute has never heard of (666) is forwarded and answered as the upstream answers it (NODATA).
 */
class OpcodesAndTypesIT {
    private static final int QR = 0x8000;
    private static final int AA = 0x0400;
    private static final int RA = 0x0080;
    private static ConformanceServer server;

    @BeforeAll
    static void start() throws IOException {
        server = ConformanceServer.start(OpcodesAndTypesIT.class);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void assertNotimp(byte[] reply, int id, int opcode) {
        int flags = Wire.headerFlags(reply);
        assertThat(Wire.id(reply)).as("ID").isEqualTo(id);
        assertThat(flags & QR).as("QR").isNotZero();
        assertThat((flags >> 11) & 0xf).as("opcode").isEqualTo(opcode);
        assertThat(flags & 0xf).as("rcode").isEqualTo(Rcode.NOTIMP);
        assertThat(flags & AA).as("AA").isZero();
        assertThat(flags & RA).as("RA").isZero();
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 15})
    void otherOpcode_notimpWithOpcodeEchoedAndAaRaClear(int opcode) {
        Message query = Wire.query("opcode" + opcode + ".conf.test", Type.SOA);

        byte[] reply = server.client().udp(Wire.withOpcode(query, opcode));

        assertNotimp(reply, query.getHeader().getID(), opcode);
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {2, 15})
    void otherOpcode_headerOnly_notimp(int opcode) {
        byte[] headerOnly = Wire.raw(0x5150, opcode << 11, 0, 0, 0, 0);

        byte[] reply = server.client().udp(headerOnly);

        assertNotimp(reply, 0x5150, opcode);
    }

    @Test
    void notimp_leavesThroughTheCommonPath_countedLoggedAndWithOpt() throws Exception {
        double countedBefore = server.queriesAnswered("NOTIMP");
        int loggedBefore = server.queryLogLines().size();
        Message withEdns = Wire.ednsQuery("notimp-edns.conf.test", Type.SOA, 0, 0);
        Message plain = Wire.query("notimp-plain.conf.test", Type.SOA);

        Message ednsReply = Wire.parse(server.client().udp(Wire.withOpcode(withEdns, 5)));
        Message plainReply = Wire.parse(server.client().udp(Wire.withOpcode(plain, 5)));

        assertThat(ednsReply.getOPT()).as("OPT in\n%s", ednsReply).isNotNull();
        assertThat(plainReply.getOPT()).as("OPT in\n%s", plainReply).isNull();
        Thread.sleep(300); // meters and the query log are written just after the reply
        assertThat(server.queriesAnswered("NOTIMP") - countedBefore).as("dns.queries with rcode NOTIMP").isEqualTo(2);
        assertThat(server.queryLogLines().subList(loggedBefore, server.queryLogLines().size()))
                .as("query log lines").filteredOn(line -> line.contains("NOTIMP")).hasSize(2);
    }

    @Test
    void unknownType666_forwardedAndAnsweredNodata_freshAndCached() {
        for (int attempt = 0; attempt < 2; attempt++) {
            Message reply = Wire.parse(server.client().udp(Wire.query("type666.conf.test", 666)));

            assertThat(reply.getRcode()).as(reply.toString()).isEqualTo(Rcode.NOERROR);
            assertThat(reply.getSection(Section.ANSWER)).as(reply.toString()).isEmpty();
            assertThat(reply.getQuestion().getType()).isEqualTo(666);
        }
        assertThat(server.upstream().receivedFor("type666.conf.test"))
                .isNotEmpty()
                .allMatch(r -> r.message().getQuestion().getType() == 666);
    }
}
