package io.splitroute.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * UDP replies are capped at 1232 bytes whatever EDNS size the client advertises (RFC 9715; a router must not
 * reflect large replies at spoofed addresses), with TC set above it, on every path: the upstream's answer,
 * a cache hit, and an answer first fetched for a TCP client; 512 bytes without EDNS; TCP gets it whole.
 * The upstream's {@code big*} names answer with {@value ZoneAnswers#BIG_ANSWER} addresses (over 1 600
 * bytes), which it sends over UDP only truncated, so splitroute fetches them over TCP.
 */
class ReplySizeIT {
    private static final int CAP = 1232;
    private static ConformanceServer server;

    @BeforeAll
    static void start() throws IOException {
        server = ConformanceServer.start(ReplySizeIT.class);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A query for {@code name} A advertising a 65535-byte EDNS buffer. */
    private static Message hugeBuffer(String name) {
        Message query = Wire.query(name, Type.A);
        query.addRecord(new OPTRecord(65535, 0, 0), Section.ADDITIONAL);
        return query;
    }

    private static void assertCappedAndTruncated(byte[] reply, int cap) {
        assertThat(reply.length).as("UDP reply length").isLessThanOrEqualTo(cap);
        Message parsed = Wire.parse(reply);
        assertThat(parsed.getHeader().getFlag(Flags.TC)).as("TC in\n%s", parsed).isTrue();
        assertThat(parsed.getHeader().getFlag(Flags.AA)).as("AA in\n%s", parsed).isFalse();
    }

    @Test
    void upstreamAnswerThenCacheHit_cappedAt1232WithTc_whateverTheAdvertisedSize() {
        byte[] fresh = server.client().udp(hugeBuffer("big-udp.conf.test"));
        byte[] cached = server.client().udp(hugeBuffer("big-udp.conf.test"));

        assertCappedAndTruncated(fresh, CAP);
        assertCappedAndTruncated(cached, CAP);
        assertThat(Wire.parse(cached).getOPT()).as("OPT kept when cut").isNotNull();
        assertThat(server.upstream().receivedFor("big-udp.conf.test"))
                .as("fetched from the upstream over TCP after its truncated UDP reply")
                .anyMatch(AuthoritativeUpstream.Received::tcp);
    }

    @Test
    void answerFirstFetchedForATcpClient_thenUdpFromTheCache_capped() {
        Message whole = Wire.parse(server.client().tcp(hugeBuffer("big-tcp-first.conf.test")));
        byte[] udpWithEdns = server.client().udp(hugeBuffer("big-tcp-first.conf.test"));
        byte[] udpPlain = server.client().udp(Wire.query("big-tcp-first.conf.test", Type.A));

        assertThat(whole.getSection(Section.ANSWER)).as("over TCP").hasSize(ZoneAnswers.BIG_ANSWER);
        assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();
        assertCappedAndTruncated(udpWithEdns, CAP);
        assertCappedAndTruncated(udpPlain, 512);
    }

    @Test
    void smallAnswer_notTruncated() {
        Message reply = Wire.parse(server.client().udp(hugeBuffer("small.conf.test")));

        assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
    }
}
