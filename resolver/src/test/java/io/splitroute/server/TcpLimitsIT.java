package io.splitroute.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * What a hostile TCP client cannot do: trickle a query byte by byte to hold a slot, hold slots from outside
 * the ACL, take every slot from one address, or make the server take on unbounded work by pipelining queries
 * without reading the replies. Clients use loopback source addresses (127.0.0.x) to be told apart.
 */
class TcpLimitsIT {
    private static final int CLOSED_WITHIN_MILLIS = 2_000;

    private final FakeUpstream upstream = FakeUpstream.start().answer("a.example.", Type.A, 300, "192.0.2.1");
    private final List<Socket> sockets = new ArrayList<>();
    private RunningResolver resolver;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (resolver != null) {
            resolver.close();
        }
        upstream.close();
    }

    private void start(String extraYaml) throws Exception {
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { isp: ["%s"] }
                %s
                """.formatted(upstream.udpUri(), extraYaml));
    }

    @Test
    void slowLoris_closedAtTheFrameDeadlineWhileAGoodClientIsServed() throws Exception {
        start("tcp: { frame-timeout: 1s, idle-timeout: 60s }");
        byte[] framed = framed(DnsClient.query("a.example", Type.A, 0));
        Socket slow = connect("127.0.0.1");
        OutputStream out = slow.getOutputStream();
        long start = System.nanoTime();
        int sent = 0;
        boolean closed = false;
        // One byte every 250 ms: the whole query would take about 7 s, the idle timeout is a minute.
        while (!closed && sent < framed.length) {
            out.write(framed[sent++]);
            out.flush();
            closed = closedWithin(slow.getInputStream(), 250);
            assertThat(good("127.0.0.2").getRcode()).isEqualTo(Rcode.NOERROR);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(closed).as("slow client closed before it finished its query").isTrue();
        assertThat(sent).isLessThan(framed.length);
        assertThat(millis).as("closed at the 1 s frame deadline, not the 60 s idle timeout").isLessThan(5_000);
        assertThat(resolver.lifecycle().server().tcpStats().frameTimeouts()).isEqualTo(1);
    }

    @Test
    void outsideAcl_closedAtAcceptWithoutTakingASlot() throws Exception {
        start("""
                acl: ["127.0.0.2/32"]
                tcp: { max-connections: 4, max-per-client: 4 }
                """);
        for (int i = 0; i < 6; i++) {
            Socket outsider = connect("127.0.0.1");
            assertThat(closedWithin(outsider.getInputStream(), CLOSED_WITHIN_MILLIS))
                    .as("connection from outside the ACL closed at once").isTrue();
        }

        assertThat(good("127.0.0.2").getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(resolver.lifecycle().server().tcpStats().rejected(TcpStats.Rejection.ACL)).isEqualTo(6);
        assertThat(resolver.lifecycle().admin().registry().scrape().lines())
                .contains("dns_tcp_rejected_total{reason=\"acl\"} 6.0", "dns_tcp_connections 0.0");
        assertThat(upstream.queryCount()).isEqualTo(1);
    }

    @Test
    void perClientCap_closesTheConnectionOverItOthersStillServed() throws Exception {
        start("tcp: { max-connections: 10, max-per-client: 2 }");
        Socket first = connect("127.0.0.3");
        Socket second = connect("127.0.0.3");
        Socket third = connect("127.0.0.3");

        assertThat(closedWithin(third.getInputStream(), CLOSED_WITHIN_MILLIS)).as("third from one address").isTrue();
        assertThat(ask(first).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ask(second).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(good("127.0.0.4").getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(resolver.lifecycle().server().tcpStats().rejected(TcpStats.Rejection.PER_CLIENT)).isEqualTo(1);
    }

    @Test
    void pipelinedQueriesNotRead_atMostTheBoundInFlightThenAllAnswered() throws Exception {
        start("""
                upstream-timeout: 2s
                tcp: { max-inflight: 8 }
                """);
        int count = 1_000;
        for (int i = 0; i < count; i++) {
            upstream.silent("q" + i + ".hold.example");
        }
        Socket client = connect("127.0.0.1");
        client.setSoTimeout(10_000);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            Message query = DnsClient.query("q" + i + ".hold.example", Type.A, 0);
            query.getHeader().setID(i);
            all.write(framed(query));
        }
        client.getOutputStream().write(all.toByteArray()); // about 40 KB: fits the socket buffers, nothing blocks
        client.getOutputStream().flush();
        awaitQueries(8);
        Thread.sleep(500);

        assertThat(upstream.queryCount()).as("queries taken on while 8 are in flight").isEqualTo(8);

        upstream.reset().unknownWildcard(300); // the 8 held ones time out (SERVFAIL), the rest are answered
        Set<Integer> answered = new HashSet<>();
        DataInputStream in = new DataInputStream(client.getInputStream());
        for (int i = 0; i < count; i++) {
            byte[] reply = new byte[in.readUnsignedShort()];
            in.readFully(reply);
            answered.add(new Message(reply).getHeader().getID());
        }
        assertThat(answered).hasSize(count);
    }

    private void awaitQueries(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (upstream.queryCount() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** One query over a fresh connection from {@code source}. */
    private Message good(String source) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(resolver.address(), 2_000);
            socket.setSoTimeout(3_000);
            return ask(socket);
        }
    }

    private Socket connect(String source) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(resolver.address(), 2_000);
        socket.setSoTimeout(100);
        return socket;
    }

    private static Message ask(Socket socket) throws IOException {
        socket.setSoTimeout(3_000);
        socket.getOutputStream().write(framed(DnsClient.query("a.example", Type.A, 0)));
        socket.getOutputStream().flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] reply = new byte[in.readUnsignedShort()];
        in.readFully(reply);
        return new Message(reply);
    }

    private static byte[] framed(Message query) {
        byte[] wire = query.toWire();
        byte[] framed = new byte[wire.length + 2];
        framed[0] = (byte) (wire.length >> 8);
        framed[1] = (byte) wire.length;
        System.arraycopy(wire, 0, framed, 2, wire.length);
        return framed;
    }

    /** Whether the server closed the connection (end of stream or reset) within {@code millis}. */
    private static boolean closedWithin(InputStream in, int millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // nothing yet
            } catch (java.net.SocketException e) {
                return true; // reset
            }
        }
        return false;
    }
}
