package io.splitroute.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * An address to listen on: an IP literal and a port.
 *
 * @param address the IP address
 * @param port    the port
 */
public record ListenAddress(InetAddress address, int port) {

    /**
     * Parses {@code 127.0.0.1:53}, {@code [::1]:53}, {@code 192.168.1.1} (port 53) or {@code ::1}.
     *
     * @throws IllegalArgumentException with a message carrying the text when it is not an address
     */
    public static ListenAddress parse(String text) {
        String host = text;
        int port = 53;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has '[' but no ']'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + text + "' is not [address]:port");
                }
                port = parsePort(rest.substring(1), text);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = parsePort(text.substring(text.indexOf(':') + 1), text);
        }
        return new ListenAddress(parseIp(host, text), port);
    }

    /** Returns the socket address to bind. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    @Override
    public String toString() {
        String host = NetUtil.toAddressString(address);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    static InetAddress parseIp(String host, String text) {
        if (host.isEmpty() || !(host.indexOf(':') >= 0 || host.matches("[0-9.]+"))) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address (names are not resolved here)");
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
        }
    }

    private static int parsePort(String port, String text) {
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " in '" + text + "' is not between 1 and 65535");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + port + "' in '" + text + "' is not a port number", e);
        }
    }
}
