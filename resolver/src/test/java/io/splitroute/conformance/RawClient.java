package io.splitroute.conformance;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.xbill.DNS.Message;

/**
 * Sends bytes to splitroute on 127.0.0.1 exactly as given, one message and at most one reply, no retries,
 * from 127.0.0.1 or another loopback source address (to be outside the ACL).
 */
final class RawClient {
    /** How long to wait for a reply that should come (generous: CI machines are shared and busy). */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait before deciding that a message was dropped. */
    static final Duration DROP_WAIT = Duration.ofMillis(700);

    private final InetSocketAddress server;
    private final InetAddress source;

    RawClient(int port, String sourceAddress) {
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        this.source = InetAddress.ofLiteral(sourceAddress);
    }

    /** Sends {@code message} over UDP and returns the reply. */
    byte[] udp(Message message) {
        return udp(message.toWire());
    }

    /** Sends {@code wire} over UDP and returns the reply; fails the test on timeout. */
    byte[] udp(byte[] wire) {
        return udpWithin(wire, REPLY_TIMEOUT)
                .orElseThrow(() -> new AssertionError("no reply within " + REPLY_TIMEOUT + " to "
                        + Arrays.toString(wire)));
    }

    /** Sends {@code wire} over UDP; the reply, or empty if none came within {@code wait}. */
    Optional<byte[]> udpWithin(byte[] wire, Duration wait) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0))) {
            socket.setSoTimeout((int) wait.toMillis());
            socket.send(new DatagramPacket(wire, wire.length, server));
            byte[] buffer = new byte[65535];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            return Optional.of(Arrays.copyOf(buffer, packet.getLength()));
        } catch (SocketTimeoutException silent) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code message} over a new TCP connection and returns the reply. */
    byte[] tcp(Message message) {
        byte[] wire = message.toWire();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(server, (int) REPLY_TIMEOUT.toMillis());
            socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(wire.length);
            out.write(wire);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] reply = new byte[in.readUnsignedShort()];
            in.readFully(reply);
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException("TCP query to " + server + " failed", e);
        }
    }
}
