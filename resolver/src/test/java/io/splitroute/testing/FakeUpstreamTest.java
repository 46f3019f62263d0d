package io.splitroute.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The fixture itself, driven by plain blocking JDK sockets so that it does not depend on the code it tests. */
class FakeUpstreamTest {

    private final FakeUpstream fake = FakeUpstream.start();

    @AfterEach
    void close() {
        fake.close();
    }

    @Test
    void answer_returnsRecordsWithTtlAndCopiesIdAndQuestion() throws IOException {
        fake.answer("a.example.", Type.A, 300, "192.0.2.1", "192.0.2.2");

        Message reply = udp(query("A.Example.", Type.A, 0x1234, -1));

        assertThat(reply.getHeader().getID()).isEqualTo(0x1234);
        assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(reply.getQuestion().getName().toString()).isEqualTo("A.Example.");
        assertThat(reply.getSection(Section.ANSWER)).extracting(r -> ((ARecord) r).getAddress().getHostAddress())
                .containsExactly("192.0.2.1", "192.0.2.2");
        assertThat(reply.getSection(Section.ANSWER)).allMatch(r -> r.getTTL() == 300);
    }

    @Test
    void append_foreignRecordsFollowTheAnswerOfThatNameOnly() throws IOException {
        Record foreign = new ARecord(FakeUpstream.name("victim.example."), DClass.IN, 86400,
                FakeUpstream.address("203.0.113.66"));
        fake.answer("a.example.", Type.A, 300, "192.0.2.1").append("a.example.", foreign)
                .answer("b.example.", Type.A, 300, "192.0.2.2");

        Message reply = udp(query("a.example.", Type.A, 1, -1));
        Message other = udp(query("b.example.", Type.A, 2, -1));

        assertThat(reply.getSection(Section.ANSWER)).extracting(r -> r.getName().toString())
                .containsExactly("a.example.", "victim.example.");
        assertThat(other.getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void cname_followsChainToTargetRecords() throws IOException {
        fake.cname("www.example", 60, "cdn.example").cname("cdn.example", 60, "edge.example")
                .answer("edge.example", Type.A, 30, "192.0.2.7");

        Message reply = udp(query("www.example.", Type.A, 1, -1));

        assertThat(reply.getSection(Section.ANSWER)).extracting(Record::getType)
                .containsExactly(Type.CNAME, Type.CNAME, Type.A);
    }

    @Test
    void nxdomain_carriesParentSoaWithMinimum() throws IOException {
        fake.nxdomain("nx.example.", 600);

        Message reply = udp(query("nx.example.", Type.A, 1, -1));

        assertThat(reply.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        SOARecord soa = (SOARecord) reply.getSection(Section.AUTHORITY).getFirst();
        assertThat(soa.getName().toString()).isEqualTo("example.");
        assertThat(soa.getMinimum()).isEqualTo(600);
    }

    @Test
    void unknownName_nxdomainByDefault_wildcardWhenAsked() throws IOException {
        assertThat(udp(query("who.example.", Type.A, 1, -1)).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        fake.unknownWildcard(120);
        Message reply = udp(query("who.example.", Type.A, 2, -1));

        assertThat(((ARecord) reply.getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress())
                .isEqualTo(FakeUpstream.wildcardAddress("who.example"));
    }

    @Test
    void truncateUdp_setsTcOverUdpAndAnswersInFullOverTcp() throws IOException {
        fake.answer("big.example.", Type.A, 300, "192.0.2.9").truncateUdp("big.example.");

        Message overUdp = udp(query("big.example.", Type.A, 5, 1232));
        Message overTcp = tcp(query("big.example.", Type.A, 6, 1232));

        assertThat(overUdp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(overUdp.getSection(Section.ANSWER)).isEmpty();
        assertThat(overTcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(overTcp.getSection(Section.ANSWER)).hasSize(1);
        assertThat(fake.received()).extracting(ReceivedQuery::transport)
                .containsExactly(FakeUpstream.Transport.UDP, FakeUpstream.Transport.TCP);
        assertThat(fake.received().getFirst().ednsPayloadSize()).isEqualTo(1232);
    }

    @Test
    void largeAnswer_cutToClientPayloadOverUdp() throws IOException {
        fake.largeAnswer("many.example.", 100, 60);

        Message small = udp(query("many.example.", Type.A, 1, -1));
        Message edns = udp(query("many.example.", Type.A, 2, 4096));

        assertThat(small.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(edns.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(edns.getSection(Section.ANSWER)).hasSize(100);
    }

    @Test
    void servfailAndRefused_setRcode() throws IOException {
        fake.servfail("s.example.").refused("r.example.");

        assertThat(udp(query("s.example.", Type.A, 1, -1)).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(udp(query("r.example.", Type.AAAA, 1, -1)).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void silent_neverAnswersButRecords() throws IOException {
        fake.silent("quiet.example.");

        try (DatagramSocket socket = new DatagramSocket()) {
            send(socket, query("quiet.example.", Type.A, 1, -1));
            socket.setSoTimeout(200);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> receive(socket))
                    .isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(fake.queryCount("quiet.example", Type.A)).isEqualTo(1);
    }

    @Test
    void spoofWrongSourcePort_forgedFromOtherPortThenRealFromServerPort() throws IOException {
        fake.answer("v.example.", Type.A, 300, "192.0.2.3").spoof("v.example.", SpoofMode.WRONG_SOURCE_PORT);

        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            send(socket, query("v.example.", Type.A, 77, -1));
            DatagramPacket first = receive(socket);
            DatagramPacket second = receive(socket);

            assertThat(first.getPort()).isNotEqualTo(fake.port());
            assertThat(address(first)).isEqualTo(FakeUpstream.POISON_ADDRESS);
            assertThat(second.getPort()).isEqualTo(fake.port());
            assertThat(address(second)).isEqualTo("192.0.2.3");
        }
    }

    @Test
    void spoofWrongIdAndQuestion_forgedRepliesDifferFromQuery() throws IOException {
        fake.spoofOnly("id.example.", SpoofMode.WRONG_ID).spoofOnly("q.example.", SpoofMode.WRONG_QUESTION);

        Message wrongId = udp(query("id.example.", Type.A, 100, -1));
        Message wrongQuestion = udp(query("q.example.", Type.A, 100, -1));

        assertThat(wrongId.getHeader().getID()).isEqualTo(101);
        assertThat(wrongQuestion.getHeader().getID()).isEqualTo(100);
        assertThat(wrongQuestion.getQuestion().getName().toString()).isEqualTo("poison.q.example.");
    }

    @Test
    void delay_holdsReplyBack() throws IOException {
        fake.answer("slow.example.", Type.A, 300, "192.0.2.4").delay("slow.example.", Duration.ofMillis(300));

        try (DatagramSocket socket = new DatagramSocket()) {
            send(socket, query("slow.example.", Type.A, 1, -1));
            socket.setSoTimeout(100);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> receive(socket))
                    .isInstanceOf(SocketTimeoutException.class);
            socket.setSoTimeout(2000);
            assertThat(address(receive(socket))).isEqualTo("192.0.2.4");
        }
    }

    @Test
    void tcp_answersSeveralQueriesOnOneConnection() throws IOException {
        fake.answer("a.example.", Type.A, 300, "192.0.2.1").answer("b.example.", Type.A, 300, "192.0.2.2");

        try (Socket socket = new Socket(fake.address().getAddress(), fake.port())) {
            socket.setSoTimeout(2000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (String name : List.of("a.example.", "b.example.")) {
                byte[] wire = query(name, Type.A, 9, -1).toWire();
                out.writeShort(wire.length);
                out.write(wire);
            }
            out.flush();
            assertThat(readFrame(in).getQuestion().getName().toString()).isEqualTo("a.example.");
            assertThat(readFrame(in).getQuestion().getName().toString()).isEqualTo("b.example.");
        }
    }

    // ---- plain-socket client ----------------------------------------------------------------------------

    static Message query(String name, int type, int id, int payload) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        query.getHeader().setID(id);
        if (payload > 0) {
            query.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
        }
        return query;
    }

    private Message udp(Message query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            send(socket, query);
            return parse(receive(socket));
        }
    }

    private Message tcp(Message query) throws IOException {
        try (Socket socket = new Socket(fake.address().getAddress(), fake.port())) {
            socket.setSoTimeout(2000);
            byte[] wire = query.toWire();
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(wire.length);
            out.write(wire);
            out.flush();
            return readFrame(new DataInputStream(socket.getInputStream()));
        }
    }

    private static Message readFrame(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readUnsignedShort()];
        in.readFully(frame);
        return new Message(frame);
    }

    private void send(DatagramSocket socket, Message query) throws IOException {
        byte[] wire = query.toWire();
        socket.send(new DatagramPacket(wire, wire.length, fake.address()));
    }

    private static DatagramPacket receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
        socket.receive(packet);
        return packet;
    }

    private static Message parse(DatagramPacket packet) throws IOException {
        return new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
    }

    private static String address(DatagramPacket packet) throws IOException {
        return ((ARecord) parse(packet).getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress();
    }
}
