package io.splitroute.conformance;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * A fake authoritative server for {@code conf.test} on 127.0.0.1 (UDP and TCP, one port) that keeps every
 * query it receives, as sent, and answers like a careless authority would ({@link ZoneAnswers}): AA always
 * set, its own 4096-byte EDNS size, the query's EDNS options echoed back, an unknown EDNS flag bit set. What
 * reaches the client is then splitroute's doing, and what reaches this server shows what it forwards. A UDP
 * reply longer than the query's EDNS size (512 without EDNS) is cut with TC set, so splitroute asks again
 * over TCP. A name can be made to fail from some point on ({@link #failFrom}), as an upstream gone bad.
 */
final class AuthoritativeUpstream implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** One query as received. */
    record Received(Message message, boolean tcp) {}

    private final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private final java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final DatagramSocket udp;
    private final ServerSocket tcp;

    private AuthoritativeUpstream(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        threads.submit(this::serveUdp);
        threads.submit(this::acceptTcp);
    }

    /** Starts the server on a loopback port free for UDP and TCP. */
    static AuthoritativeUpstream start() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            try {
                return new AuthoritativeUpstream(udp, new ServerSocket(udp.getLocalPort(), 50, LOOPBACK));
            } catch (IOException taken) {
                udp.close();
            }
        }
        throw new IOException("no loopback port free for both UDP and TCP in 20 tries");
    }

    /** Returns {@code udp://127.0.0.1:PORT}, for splitroute's config. */
    String udpUri() {
        return "udp://127.0.0.1:" + udp.getLocalPort();
    }

    /** Returns every query received so far whose question name is {@code name} (case-insensitive). */
    List<Received> receivedFor(String name) {
        return received.stream()
                .filter(r -> r.message().getQuestion() != null
                        && r.message().getQuestion().getName().toString().equalsIgnoreCase(Wire.absolute(name)))
                .toList();
    }

    /** From now on, every query for {@code name} (case-insensitive) gets SERVFAIL. */
    void failFrom(String name) {
        failing.add(Wire.absolute(name).toLowerCase(java.util.Locale.ROOT));
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                byte[] reply = answer(java.util.Arrays.copyOf(packet.getData(), packet.getLength()), false);
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket connection = tcp.accept();
                threads.submit(() -> serveTcp(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serveTcp(Socket connection) {
        try (connection; DataInputStream in = new DataInputStream(connection.getInputStream());
             DataOutputStream out = new DataOutputStream(connection.getOutputStream())) {
            while (true) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] reply = answer(query, true);
                if (reply != null) {
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (IOException endOfConnection) {
            // the client closed the connection
        }
    }

    private byte[] answer(byte[] wire, boolean overTcp) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException garbage) {
            return null;
        }
        received.add(new Received(query, overTcp));
        OPTRecord opt = query.getOPT();
        int udpSize = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
        Message reply = ZoneAnswers.reply(query);
        if (query.getQuestion() != null
                && failing.contains(query.getQuestion().getName().toString().toLowerCase(java.util.Locale.ROOT))) {
            reply.removeAllRecords(org.xbill.DNS.Section.ANSWER);
            reply.removeAllRecords(org.xbill.DNS.Section.AUTHORITY);
            reply.getHeader().setRcode(org.xbill.DNS.Rcode.SERVFAIL);
        }
        return reply.toWire(overTcp ? 65535 : udpSize);
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
