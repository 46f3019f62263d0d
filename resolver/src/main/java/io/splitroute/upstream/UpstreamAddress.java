package io.splitroute.upstream;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One upstream server: its protocol and its IP address and port.
 *
 * @param protocol UDP (with automatic TCP retry on truncation) or TCP
 * @param address  an IP literal and port; never a host name, since a forwarder cannot resolve its upstream
 */
public record UpstreamAddress(Protocol protocol, InetSocketAddress address) {

    /** The port used when a URI gives none. */
    public static final int DEFAULT_PORT = 53;

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** How queries travel to the server. */
    public enum Protocol {
        /** DNS over UDP, retried over TCP when the reply is truncated. */
        UDP,
        /** DNS over TCP (RFC 7766 framing). */
        TCP
    }

    /** Checks that both parts are present and the address is resolved (an IP, not a name). */
    public UpstreamAddress {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("upstream address must be an IP literal, was " + address);
        }
    }

    /**
     * Parses {@code udp://HOST[:PORT]} or {@code tcp://HOST[:PORT]}, where HOST is an IPv4 literal or a
     * bracketed IPv6 literal (optionally with a {@code %scope}), and PORT defaults to 53. Examples:
     * {@code udp://192.0.2.1:53}, {@code tcp://192.0.2.1}, {@code udp://[::1]:5353},
     * {@code udp://[fe80::1%eth0]:53}.
     *
     * @throws IllegalArgumentException with a message carrying {@code uri} if it is not one of those forms
     */
    public static UpstreamAddress parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        int sep = uri.indexOf("://");
        if (sep < 0) {
            throw bad(uri, "expected udp://IP[:PORT] or tcp://IP[:PORT]");
        }
        Protocol protocol = switch (uri.substring(0, sep).toLowerCase(Locale.ROOT)) {
            case "udp" -> Protocol.UDP;
            case "tcp" -> Protocol.TCP;
            default -> throw bad(uri, "unknown scheme '" + uri.substring(0, sep) + "' (udp or tcp)");
        };
        return parse(uri, protocol, uri.substring(sep + 3));
    }

    /**
     * Parses {@code rest}, the part of {@code uri} after the scheme: {@code IP[:PORT]}; errors name {@code uri}.
     */
    static UpstreamAddress parse(String uri, Protocol protocol, String rest) {
        String host;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw bad(uri, "missing ']' after IPv6 address");
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw bad(uri, "unexpected '" + after + "' after ']'");
            }
            port = after.isEmpty() ? null : after.substring(1);
        } else {
            int colon = rest.indexOf(':');
            if (colon >= 0 && rest.indexOf(':', colon + 1) >= 0) {
                throw bad(uri, "IPv6 addresses must be in brackets, e.g. udp://[::1]:53");
            }
            host = colon < 0 ? rest : rest.substring(0, colon);
            port = colon < 0 ? null : rest.substring(colon + 1);
        }
        return new UpstreamAddress(protocol, new InetSocketAddress(ip(uri, host), port(uri, port)));
    }

    /** The URI form, which {@link #parse} reads back: {@code udp://192.0.2.1:53}, {@code tcp://[::1]:53}. */
    public String uri() {
        return protocol.name().toLowerCase(Locale.ROOT) + "://" + hostPort(address);
    }

    /** {@code 192.0.2.1:53} or {@code [2001:db8::1]:53} (RFC 5952 form, scope kept). */
    static String hostPort(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = NetUtil.toAddressString(ip);
        if (ip instanceof Inet6Address v6) {
            String scope = v6.getScopedInterface() != null ? v6.getScopedInterface().getName()
                    : v6.getScopeId() != 0 ? Integer.toString(v6.getScopeId()) : null;
            host = "[" + host + (scope == null ? "" : "%" + scope) + "]";
        }
        return host + ":" + address.getPort();
    }

    /** Same as {@link #uri()}. */
    @Override
    public String toString() {
        return uri();
    }

    private static InetAddress ip(String uri, String host) {
        if (host.isEmpty()) {
            throw bad(uri, "missing IP address");
        }
        if (host.indexOf(':') < 0 && !DOTTED_QUAD.matcher(host).matches()) {
            throw bad(uri, "'" + host + "' is not an IP address (host names are not allowed: a forwarder"
                    + " cannot resolve its own upstream)");
        }
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw bad(uri, "'" + host + "' is not an IP address, or its %scope is not an interface here"
                    + " (host names are not allowed: a forwarder cannot resolve its own upstream)");
        }
    }

    private static int port(String uri, String port) {
        if (port == null) {
            return DEFAULT_PORT;
        }
        int value;
        try {
            value = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(uri, "port '" + port + "' is not a number");
        }
        if (value < 1 || value > 65535) {
            throw bad(uri, "port " + value + " is out of range 1..65535");
        }
        return value;
    }

    static IllegalArgumentException bad(String uri, String reason) {
        return new IllegalArgumentException("bad upstream '" + uri + "': " + reason);
    }
}
