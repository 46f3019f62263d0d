package io.splitroute.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds loopback ports that are free for both UDP and TCP, for servers the tests start. */
public final class LoopbackPorts {

    private static final int ATTEMPTS = 50;

    private LoopbackPorts() {}

    /**
     * Returns a port free on 127.0.0.1 for both TCP and UDP at the time of the call.
     *
     * @throws IllegalStateException if none was found in 50 tries
     */
    public static int freePort() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int i = 0; i < ATTEMPTS; i++) {
            int port;
            try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
                port = tcp.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind a TCP socket on loopback", e);
            }
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
                return port;
            } catch (IOException e) {
                // taken for UDP: try another one
            }
        }
        throw new IllegalStateException("no loopback port free for both UDP and TCP in " + ATTEMPTS + " tries");
    }
}
