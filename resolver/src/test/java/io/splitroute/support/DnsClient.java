package io.splitroute.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** A plain DNS client for tests: one query, one reply, no retries, no fallbacks, so tests see exactly what the server sent. */
public final class DnsClient {
    private static final int TIMEOUT_MILLIS = 3000;

    private final InetSocketAddress server;

    /** @param server the server to ask */
    public DnsClient(InetSocketAddress server) {
        this.server = server;
    }

    /** Builds a query with RD set; {@code ednsPayload} 0 means no OPT record. */
    public static Message query(String name, int type, int ednsPayload) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, DClass.IN));
            m.getHeader().setFlag(Flags.RD);
            if (ednsPayload > 0) {
                m.addRecord(new OPTRecord(ednsPayload, 0, 0), Section.ADDITIONAL);
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    /** Returns the first A record's address in the answer section, or {@code null}. */
    public static String firstAddress(Message reply) {
        return reply.getSection(Section.ANSWER).stream()
                .filter(r -> r instanceof org.xbill.DNS.ARecord)
                .map(r -> ((org.xbill.DNS.ARecord) r).getAddress().getHostAddress())
                .findFirst().orElse(null);
    }

    /** Sends over UDP (with EDNS 1232) and returns the reply. */
    public Message udp(String name, int type) throws IOException {
        return udp(query(name, type, 1232));
    }

    /** Sends over UDP and returns the reply. */
    public Message udp(Message query) throws IOException {
        byte[] reply = udpRaw(query.toWire(), TIMEOUT_MILLIS);
        if (reply == null) {
            throw new SocketTimeoutException("no UDP reply from " + server + " to " + query.getQuestion());
        }
        return new Message(reply);
    }

    /** Sends raw bytes over UDP; returns the reply bytes, or {@code null} when none came within the timeout. */
    public byte[] udpRaw(byte[] wire, int timeoutMillis) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(timeoutMillis);
            socket.send(new DatagramPacket(wire, wire.length, server));
            byte[] buffer = new byte[65535];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return java.util.Arrays.copyOf(buffer, packet.getLength());
        }
    }

    /** Sends over TCP and returns the reply. */
    public Message tcp(Message query) throws IOException {
        return tcpPipelined(List.of(query)).getFirst();
    }

    /** Sends every query on one TCP connection before reading, then reads as many replies. */
    public List<Message> tcpPipelined(List<Message> queries) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            for (Message q : queries) {
                byte[] wire = q.toWire();
                out.writeShort(wire.length);
                out.write(wire);
            }
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            List<Message> replies = new ArrayList<>();
            for (int i = 0; i < queries.size(); i++) {
                byte[] reply = new byte[in.readUnsignedShort()];
                in.readFully(reply);
                replies.add(new Message(reply));
            }
            return replies;
        }
    }
}
