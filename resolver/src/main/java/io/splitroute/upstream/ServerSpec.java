package io.splitroute.upstream;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * One upstream server as configured: its protocol, where it is dialled, and for encrypted servers the name
 * its certificate is checked against. {@link #parse} reads the URI forms:
 *
 * <ul>
 *   <li>{@code udp://IP[:PORT][@IFACE]}, {@code tcp://IP[:PORT][@IFACE]}: plain DNS, port 53 by default;
 *       {@code @IFACE} binds the socket to that interface (dnsmasq's {@code server=IP@IFACE}).</li>
 *   <li>{@code tls://HOST[:PORT][@IP]}: DNS over TLS (RFC 7858), port 853 by default.</li>
 *   <li>{@code https://HOST[:PORT]/PATH[@IP]}: DNS over HTTPS (RFC 8484), port 443 by default.</li>
 * </ul>
 *
 * <p>For {@code tls://} and {@code https://}, HOST is the name sent as SNI and checked against the
 * certificate, and {@code @IP} is the address dialled; without it, HOST is looked up through the group's
 * bootstrap servers (HOST may also be an IP literal, checked against the certificate's IP addresses).
 *
 * @param protocol how queries travel
 * @param host     the certificate name (tls, https); {@code null} for udp and tcp
 * @param ip       the address dialled; {@code null} for tls and https servers to be looked up by name
 * @param port     the port dialled
 * @param path     the HTTP path with its leading slash (https); {@code null} otherwise
 * @param iface    the interface the socket is bound to (udp, tcp); {@code null} when not bound by the URI
 */
public record ServerSpec(Protocol protocol, String host, InetAddress ip, int port, String path, String iface) {

    /** How queries travel to a server. */
    public enum Protocol {
        /** DNS over UDP, retried over TCP when the reply is truncated. */
        UDP(53),
        /** DNS over TCP (RFC 7766). */
        TCP(53),
        /** DNS over TLS (RFC 7858). */
        TLS(853),
        /** DNS over HTTPS (RFC 8484). */
        HTTPS(443);

        private final int defaultPort;

        Protocol(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        /** The port a URI without one means. */
        public int defaultPort() {
            return defaultPort;
        }

        /** Whether the protocol is encrypted and authenticated (tls, https). */
        public boolean encrypted() {
            return this == TLS || this == HTTPS;
        }

        /** The URI scheme: {@code udp}, {@code tcp}, {@code tls}, {@code https}. */
        public String scheme() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks that the parts fit the protocol (see the parameters). */
    public ServerSpec {
        Objects.requireNonNull(protocol, "protocol");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
        if (protocol.encrypted()) {
            Objects.requireNonNull(host, "host");
            if (iface != null) {
                throw new IllegalArgumentException(protocol.scheme() + " servers take the group's interface, not @IFACE");
            }
        } else if (ip == null || host != null) {
            throw new IllegalArgumentException(protocol.scheme() + " servers need an IP address and no host name");
        }
        if ((protocol == Protocol.HTTPS) != (path != null)) {
            throw new IllegalArgumentException("a path is for https servers only, and every https server needs one");
        }
    }

    /**
     * Parses one of the URI forms of the class description.
     *
     * @throws IllegalArgumentException with a message carrying {@code uri} and what is wrong with it
     */
    public static ServerSpec parse(String uri) {
        return ServerUriParser.parse(uri);
    }

    /** A plain server for an {@link UpstreamAddress}, not bound to an interface. */
    public static ServerSpec of(UpstreamAddress address) {
        Protocol protocol = address.protocol() == UpstreamAddress.Protocol.UDP ? Protocol.UDP : Protocol.TCP;
        return new ServerSpec(protocol, null, address.address().getAddress(), address.address().getPort(), null, null);
    }

    /** Whether the address dialled must first be looked up (an encrypted server without {@code @IP}). */
    public boolean needsBootstrap() {
        return ip == null;
    }

    /** The address dialled, if known without a lookup. */
    public InetSocketAddress socketAddress() {
        if (ip == null) {
            throw new IllegalStateException(uri() + " has no IP address; it is looked up through the bootstrap servers");
        }
        return new InetSocketAddress(ip, port);
    }

    /** The same server bound to {@code interfaceName} (udp and tcp only). */
    public ServerSpec withInterface(String interfaceName) {
        return new ServerSpec(protocol, host, ip, port, path, interfaceName);
    }

    /**
     * The URI form, which {@link #parse} reads back, with the default port written out:
     * {@code udp://192.0.2.1:53@wg0}, {@code tls://dns.google:853@8.8.8.8}, {@code https://dns.google:443/dns-query}.
     */
    public String uri() {
        StringBuilder uri = new StringBuilder(protocol.scheme()).append("://");
        if (protocol.encrypted()) {
            uri.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(port);
            if (path != null) {
                uri.append(path);
            }
            if (ip != null && !ServerUriParser.isIpLiteral(host)) {
                uri.append('@').append(ServerUriParser.ipText(ip));
            }
        } else {
            uri.append(UpstreamAddress.hostPort(new InetSocketAddress(ip, port)));
            if (iface != null) {
                uri.append('@').append(iface);
            }
        }
        return uri.toString();
    }

    /** Same as {@link #uri()}. */
    @Override
    public String toString() {
        return uri();
    }
}
