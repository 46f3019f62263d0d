package io.splitroute.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Hostile and broken messages (RFC 1035, 6891, 8906): every message with a readable header and QR=0 gets
 * an answer (FORMERR when the rest does not parse, REFUSED outside the ACL); responses and messages
 * shorter than a header are dropped. Each kind is sent {@value #BURST} times: each one must be counted in
 * {@code dns.malformed} under one reason, and together they may add at most one line to the log (a
 * throttled one per reason per minute, no stack trace).
 */
class MalformedIT {
    private static final int BURST = 40;
    private static final int DNS_CLASS_IN = 1;
    private static ConformanceServer server;

    @BeforeAll
    static void start() throws IOException {
        server = ConformanceServer.start(MalformedIT.class);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] question(String name) {
        byte[] owner = Wire.nameBytes(name);
        byte[] typeClass = Wire.u16(Type.A, DNS_CLASS_IN);
        byte[] out = java.util.Arrays.copyOf(owner, owner.length + 4);
        System.arraycopy(typeClass, 0, out, owner.length, 4);
        return out;
    }

    /** A label of the reserved type 01 (0x41) where a normal label belongs. */
    @Test
    void badLabel_formerr() throws Exception {
        assertFormerrCountedQuietly(id -> Wire.raw(id, 0, 1, 0, 0, 0,
                Wire.bytes(0x41, 'x', 'y', 0), Wire.u16(Type.A, DNS_CLASS_IN)));
    }

    /** An additional record whose owner name is a compression pointer to itself. */
    @Test
    void compressionLoop_formerr() throws Exception {
        byte[] question = question("loop.conf.test");
        int loopAt = 12 + question.length;
        assertFormerrCountedQuietly(id -> Wire.raw(id, 0, 1, 0, 0, 1, question,
                Wire.bytes(0xc0 | (loopAt >> 8), loopAt & 0xff), Wire.u16(Type.A, DNS_CLASS_IN, 0, 300, 4),
                Wire.bytes(192, 0, 2, 1)));
    }

    /** A TXT record whose RDLENGTH (50) runs past the end of the message. */
    @Test
    void recordLengthPastTheEnd_formerr() throws Exception {
        assertFormerrCountedQuietly(id -> Wire.raw(id, 0, 1, 0, 0, 1, question("long-rdata.conf.test"),
                Wire.bytes(0), Wire.u16(Type.TXT, DNS_CLASS_IN, 0, 300, 50), Wire.bytes(2, 'h', 'i')));
    }

    /** An A record whose RDLENGTH (2) is shorter than an address: framed, but its data does not parse. */
    @Test
    void recordLengthShorterThanItsData_formerr() throws Exception {
        assertFormerrCountedQuietly(id -> Wire.raw(id, 0, 1, 0, 0, 1, question("short-rdata.conf.test"),
                Wire.bytes(0), Wire.u16(Type.A, DNS_CLASS_IN, 0, 300, 2), Wire.bytes(192, 0)));
    }

    /** An OPT record whose only option claims 20 bytes of data where its RDATA holds 2. */
    @Test
    void ednsOptionThatDoesNotParse_formerr() throws Exception {
        assertFormerrCountedQuietly(id -> Wire.raw(id, 0, 1, 0, 0, 1, question("bad-option.conf.test"),
                Wire.bytes(0), Wire.u16(Type.OPT, 1232, 0, 0, 6), Wire.u16(10, 20), Wire.bytes(1, 2)));
    }

    /** FORMERR replies go out like every other reply: counted in dns.queries and written to the query log. */
    @Test
    void formerr_leavesThroughTheCommonPath_countedAndLogged() throws Exception {
        double countedBefore = server.queriesAnswered("FORMERR");
        int loggedBefore = server.queryLogLines().size();
        for (int i = 0; i < 3; i++) {
            server.client().udp(Wire.raw(0x3000 + i, 0, 1, 0, 0, 0, Wire.bytes(0x41, 'x', 'y', 0),
                    Wire.u16(Type.A, DNS_CLASS_IN)));
        }

        Thread.sleep(300); // meters and the query log are written just after the reply
        assertThat(server.queriesAnswered("FORMERR") - countedBefore).as("dns.queries with rcode FORMERR").isEqualTo(3);
        assertThat(server.queryLogLines().subList(loggedBefore, server.queryLogLines().size()))
                .as("query log lines").filteredOn(line -> line.contains("FORMERR")).hasSize(3);
    }

    @Test
    void response_droppedAndCountedQuietly() throws Exception {
        assertDroppedCountedQuietly(id -> Wire.raw(id, 0x8000, 1, 0, 0, 0, question("response.conf.test")));
    }

    @Test
    void shorterThanAHeader_droppedAndCountedQuietly() throws Exception {
        assertDroppedCountedQuietly(id -> Wire.bytes(id >> 8, id, 0x01, 0x00, 0x00));
    }

    @Test
    void clientOutsideTheAcl_refusedQuietly() throws Exception {
        int logBefore = server.logLines().size();
        for (int i = 0; i < BURST; i++) {
            byte[] query = Wire.query("acl" + i + ".conf.test", Type.A).toWire();
            byte[] reply = server.outsider().udp(query);
            assertThat(Wire.id(reply)).isEqualTo(Wire.id(query));
            assertThat(Wire.headerFlags(reply) & 0xf).as("rcode").isEqualTo(Rcode.REFUSED);
            assertThat(Wire.headerFlags(reply) & 0x0080).as("RA").isNotZero();
        }
        assertLogGrewByAtMostOneLine(logBefore);
    }

    private static void assertFormerrCountedQuietly(IntFunction<byte[]> message) throws Exception {
        Map<String, Double> before = malformedByReason();
        int logBefore = server.logLines().size();
        for (int i = 0; i < BURST; i++) {
            int id = 0x1000 + i;
            byte[] reply = server.client().udp(message.apply(id));
            int flags = Wire.headerFlags(reply);
            assertThat(Wire.id(reply)).as("ID").isEqualTo(id);
            assertThat(flags & 0x8000).as("QR").isNotZero();
            assertThat(flags & 0xf).as("rcode").isEqualTo(Rcode.FORMERR);
            assertThat(flags & 0x0080).as("RA").isNotZero();
            assertThat(flags & 0x0400).as("AA").isZero();
        }
        assertCountedUnderOneReason(before);
        assertLogGrewByAtMostOneLine(logBefore);
    }

    private static void assertDroppedCountedQuietly(IntFunction<byte[]> message) throws Exception {
        Map<String, Double> before = malformedByReason();
        int logBefore = server.logLines().size();
        for (int i = 0; i < BURST; i++) {
            byte[] wire = message.apply(0x2000 + i);
            assertThat(server.client().udpWithin(wire, i == 0 ? RawClient.DROP_WAIT : java.time.Duration.ofMillis(50)))
                    .as("a reply to a message that must be dropped").isEmpty();
        }
        assertCountedUnderOneReason(before);
        assertLogGrewByAtMostOneLine(logBefore);
    }

    private static void assertCountedUnderOneReason(Map<String, Double> before) throws Exception {
        Map<String, Double> after = malformedByReason();
        for (int i = 0; i < 50 && !grewBy(before, after, BURST); i++) {
            Thread.sleep(20); // meters are updated just after the reply is sent
            after = malformedByReason();
        }
        assertThat(after.keySet()).as("dns.malformed series").allMatch(labels -> labels.contains("reason=\""));
        assertThat(grewBy(before, after, BURST))
                .as("one dns.malformed reason grew by %d: before %s, after %s", BURST, before, after).isTrue();
    }

    private static boolean grewBy(Map<String, Double> before, Map<String, Double> after, int count) {
        return after.entrySet().stream()
                .anyMatch(e -> e.getValue() - before.getOrDefault(e.getKey(), 0.0) == count);
    }

    private static void assertLogGrewByAtMostOneLine(int linesBefore) throws Exception {
        Thread.sleep(200); // let the server's output reach the file
        List<String> added = server.logLines().subList(linesBefore, server.logLines().size());
        assertThat(added).as("log lines added by the burst").hasSizeLessThanOrEqualTo(1);
        assertThat(added).as("stack traces in the log").noneMatch(line -> line.startsWith("\tat ")
                || line.contains("Exception"));
    }

    /** The series of {@code dns_malformed_total}: label text (empty without labels) to value. */
    private static Map<String, Double> malformedByReason() throws Exception {
        Map<String, Double> series = new HashMap<>();
        for (String line : server.metrics().lines().toList()) {
            if (line.startsWith("dns_malformed_total")) {
                int space = line.lastIndexOf(' ');
                series.put(line.substring("dns_malformed_total".length(), space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return series;
    }
}
