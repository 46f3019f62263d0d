package io.splitroute.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The listeners: EDNS sizes and truncation, TCP pipelining, malformed input, access control. */
class DnsServerIT {
    private FakeUpstream upstream;
    private RunningResolver resolver;
    private DnsClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start()
                .answer("a.example.", Type.A, 300, "192.0.2.1")
                .largeAnswer("big.example.", 60, 300);
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { isp: ["%s"] }
                """.formatted(upstream.udpUri()));
        client = resolver.client();
    }

    @AfterEach
    void stop() {
        resolver.close();
        upstream.close();
    }

    @Test
    void udp_replyCutToClientsEdnsSizeWithTc() throws Exception {
        Message small = client.udp(DnsClient.query("big.example", Type.A, 0));
        Message large = client.udp(DnsClient.query("big.example", Type.A, 4096));

        assertThat(small.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(small.toWire().length).isLessThanOrEqualTo(512);
        assertThat(large.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(large.getSection(Section.ANSWER)).hasSize(60);
    }

    @Test
    void udp_truncatedClientRetriesOverTcpAndGetsEverything() throws Exception {
        Message truncated = client.udp(DnsClient.query("big.example", Type.A, 0));
        Message full = client.tcp(DnsClient.query("big.example", Type.A, 0));

        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(full.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(full.getSection(Section.ANSWER)).hasSize(60);
    }

    @Test
    void tcp_pipelinedQueriesOnOneConnectionAllAnswered() throws Exception {
        upstream.answer("b.example.", Type.A, 300, "192.0.2.2").answer("c.example.", Type.A, 300, "192.0.2.3");
        List<Message> queries = List.of(DnsClient.query("a.example", Type.A, 0),
                DnsClient.query("b.example", Type.A, 0), DnsClient.query("c.example", Type.A, 0));

        List<Message> replies = client.tcpPipelined(queries);

        assertThat(replies).hasSize(3);
        for (Message q : queries) {
            Message reply = replies.stream().filter(r -> r.getHeader().getID() == q.getHeader().getID()).findFirst().orElseThrow();
            assertThat(reply.getQuestion()).isEqualTo(q.getQuestion());
            assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
        }
    }

    @Test
    void udp_queryOfSeveralKilobytes_answered() throws Exception {
        Message query = DnsClient.query("a.example", Type.A, 4096);
        org.xbill.DNS.OPTRecord opt = query.getOPT();
        query.removeRecord(opt, Section.ADDITIONAL);
        query.addRecord(new org.xbill.DNS.OPTRecord(4096, 0, 0, 0,
                List.of(new org.xbill.DNS.GenericEDNSOption(12, new byte[3500]))), Section.ADDITIONAL); // padding
        assertThat(query.toWire().length).isGreaterThan(3500);

        Message reply = client.udp(query);

        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(DnsClient.firstAddress(reply)).isEqualTo("192.0.2.1");
    }

    @Test
    void udp_burstOfQueriesFromOneSocket_everyOneAnsweredWithItsId() throws Exception {
        client.udp("a.example", Type.A); // cached: the burst is answered within the read loop
        int count = 300;
        java.util.Set<Integer> unanswered = new java.util.HashSet<>();
        try (java.nio.channels.DatagramChannel socket = java.nio.channels.DatagramChannel.open()) {
            socket.connect(resolver.address());
            for (int id = 1; id <= count; id++) {
                Message query = DnsClient.query("a.example", Type.A, 0);
                query.getHeader().setID(id);
                socket.write(java.nio.ByteBuffer.wrap(query.toWire()));
                unanswered.add(id);
            }
            socket.configureBlocking(false);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4096);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!unanswered.isEmpty() && System.nanoTime() < deadline) {
                buffer.clear();
                if (socket.receive(buffer) == null) {
                    Thread.sleep(1);
                    continue;
                }
                Message reply = new Message(java.util.Arrays.copyOf(buffer.array(), buffer.position()));
                assertThat(DnsClient.firstAddress(reply)).isEqualTo("192.0.2.1");
                unanswered.remove(reply.getHeader().getID());
            }
        }

        assertThat(unanswered).as("queries without a reply").isEmpty();
    }

    @Test
    void garbage_unreadableHeaderDroppedAndCounted() throws Exception {
        long before = resolver.lifecycle().dispatcher().dropped();
        byte[] reply = client.udpRaw(new byte[] {1, 2, 3, 4, 5}, 500);

        assertThat(reply).isNull();
        assertThat(resolver.lifecycle().dispatcher().dropped()).isEqualTo(before + 1);
        assertThat(client.udp("a.example", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void garbage_readableHeaderGetsFormerrWithSameId() throws Exception {
        byte[] wire = DnsClient.query("a.example", Type.A, 0).toWire();
        byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 3);
        int id = ((cut[0] & 0xff) << 8) | (cut[1] & 0xff);

        Message reply = new Message(client.udpRaw(cut, 2000));

        assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(reply.getHeader().getID()).isEqualTo(id);
        assertThat(resolver.lifecycle().dispatcher().malformed()).isEqualTo(1);
        assertThat(upstream.queryCount()).isZero();
    }

    @Test
    void garbage_responsesAreNotAnswered() throws Exception {
        Message response = DnsClient.query("a.example", Type.A, 0);
        response.getHeader().setFlag(Flags.QR);

        assertThat(client.udpRaw(response.toWire(), 500)).isNull();
    }

    @Test
    void opcode_otherThanQueryGetsNotimp() throws Exception {
        Message notify = DnsClient.query("a.example", Type.SOA, 0);
        notify.getHeader().setOpcode(org.xbill.DNS.Opcode.NOTIFY);

        assertThat(client.udp(notify).getRcode()).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void tcp_oversizedOrBrokenFrameClosesOnlyThatConnection() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(resolver.address().getAddress(), resolver.address().getPort())) {
            socket.getOutputStream().write(new byte[] {0, 3, 1, 2, 3});
            socket.getOutputStream().flush();
            socket.setSoTimeout(2000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(client.tcp(DnsClient.query("a.example", Type.A, 0)).getRcode()).isEqualTo(Rcode.NOERROR);
    }
}
