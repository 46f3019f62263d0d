package io.splitroute.upstream;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the URI forms of {@link ServerSpec}. The {@code @} suffix means an interface for udp/tcp and an
 * address for tls/https; each side names the other form in its error, so a mix-up is explained, not guessed.
 */
final class ServerUriParser {

    /** Linux interface names: 1 to 15 bytes, no '/', no whitespace, not "." or "..". */
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:+-]{1,15}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private ServerUriParser() {}

    static ServerSpec parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("bad upstream '" + uri + "': empty");
        }
        int sep = uri.indexOf("://");
        if (sep < 0) {
            throw UpstreamAddress.bad(uri, "expected udp://IP[:PORT][@IFACE], tcp://IP[:PORT][@IFACE],"
                    + " tls://HOST[:PORT][@IP] or https://HOST[:PORT]/PATH[@IP]");
        }
        String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = uri.substring(sep + 3);
        return switch (scheme) {
            case "udp" -> plain(uri, ServerSpec.Protocol.UDP, rest);
            case "tcp" -> plain(uri, ServerSpec.Protocol.TCP, rest);
            case "tls" -> encrypted(uri, ServerSpec.Protocol.TLS, rest);
            case "https" -> encrypted(uri, ServerSpec.Protocol.HTTPS, rest);
            default -> throw UpstreamAddress.bad(uri, "unknown scheme '" + uri.substring(0, sep)
                    + "' (udp, tcp, tls or https)");
        };
    }

    private static ServerSpec plain(String uri, ServerSpec.Protocol protocol, String rest) {
        int at = rest.lastIndexOf('@');
        String iface = at < 0 ? null : rest.substring(at + 1);
        if (iface != null) {
            if (isIpLiteral(iface) || isIpLiteral(unbracket(iface))) {
                throw UpstreamAddress.bad(uri, "'" + iface + "' after '@' is an IP address, but for "
                        + protocol.scheme() + ":// the @ names the interface to bind to, as in udp://8.8.8.8:53@wg0");
            }
            if (!INTERFACE.matcher(iface).matches() || iface.equals(".") || iface.equals("..")) {
                throw UpstreamAddress.bad(uri, "'" + iface + "' after '@' is not an interface name (1 to 15"
                        + " letters, digits or . _ - : +)");
            }
        }
        UpstreamAddress.Protocol p = protocol == ServerSpec.Protocol.UDP
                ? UpstreamAddress.Protocol.UDP : UpstreamAddress.Protocol.TCP;
        UpstreamAddress address = UpstreamAddress.parse(uri, p, at < 0 ? rest : rest.substring(0, at));
        return new ServerSpec(protocol, null, address.address().getAddress(), address.address().getPort(), null, iface);
    }

    private static ServerSpec encrypted(String uri, ServerSpec.Protocol protocol, String rest) {
        boolean https = protocol == ServerSpec.Protocol.HTTPS;
        int slash = rest.indexOf('/');
        int at = rest.lastIndexOf('@');
        String form = https ? "https://HOST[:PORT]/PATH[@IP]" : "tls://HOST[:PORT][@IP]";
        if (at >= 0 && https && (slash < 0 || at < slash)) {
            throw UpstreamAddress.bad(uri, "the @IP goes after the path: " + form);
        }
        String dial = at < 0 ? null : rest.substring(at + 1);
        String beforeIp = at < 0 ? rest : rest.substring(0, at);
        String authority = beforeIp;
        String path = null;
        if (https) {
            if (slash < 0) {
                throw UpstreamAddress.bad(uri, "missing the path, as in https://dns.google/dns-query");
            }
            authority = beforeIp.substring(0, slash);
            path = beforeIp.substring(slash);
            if (path.length() < 2 || path.chars().anyMatch(c -> c <= ' ' || c == '#')) {
                throw UpstreamAddress.bad(uri, "path '" + path + "' is empty or has spaces or '#'");
            }
        } else if (slash >= 0) {
            throw UpstreamAddress.bad(uri, "tls:// takes no path: " + form);
        }
        HostPort hostPort = hostPort(uri, authority, protocol.defaultPort());
        InetAddress ip = dial == null ? null : dialAddress(uri, protocol, dial);
        if (ip == null && isIpLiteral(hostPort.host())) {
            ip = InetAddress.ofLiteral(hostPort.host());
        }
        return new ServerSpec(protocol, hostPort.host(), ip, hostPort.port(), path, null);
    }

    private record HostPort(String host, int port) {}

    private static HostPort hostPort(String uri, String authority, int defaultPort) {
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw UpstreamAddress.bad(uri, "missing ']' after IPv6 address");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw UpstreamAddress.bad(uri, "unexpected '" + after + "' after ']'");
            }
            port = after.isEmpty() ? null : after.substring(1);
            if (!isIpLiteral(host)) {
                throw UpstreamAddress.bad(uri, "'" + host + "' is not an IPv6 address");
            }
            host = NetUtil.toAddressString(InetAddress.ofLiteral(host));
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
                throw UpstreamAddress.bad(uri, "IPv6 addresses must be in brackets, e.g. tls://[2001:db8::1]");
            }
            host = (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
            port = colon < 0 ? null : authority.substring(colon + 1);
            if (!isIpLiteral(host) && !isHostName(host)) {
                throw UpstreamAddress.bad(uri, host.isEmpty() ? "missing host name"
                        : "'" + host + "' is not a host name or IP address");
            }
        }
        return new HostPort(host, port == null ? defaultPort : port(uri, port));
    }

    private static InetAddress dialAddress(String uri, ServerSpec.Protocol protocol, String dial) {
        String literal = unbracket(dial);
        if (!isIpLiteral(literal)) {
            throw UpstreamAddress.bad(uri, "'" + dial + "' after '@' is not an IP address: for " + protocol.scheme()
                    + ":// the @ names the address to dial, as in tls://dns.google@8.8.8.8 (to bind to an"
                    + " interface, give the group an interface)");
        }
        return InetAddress.ofLiteral(literal);
    }

    private static int port(String uri, String port) {
        int value;
        try {
            value = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw UpstreamAddress.bad(uri, "port '" + port + "' is not a number");
        }
        if (value < 1 || value > 65535) {
            throw UpstreamAddress.bad(uri, "port " + value + " is out of range 1..65535");
        }
        return value;
    }

    /** Whether {@code text} is an IPv4 dotted quad or an IPv6 literal (no brackets, no scope). */
    static boolean isIpLiteral(String text) {
        if (text.isEmpty() || text.indexOf('%') >= 0) {
            return false;
        }
        if (text.indexOf(':') < 0) {
            return DOTTED_QUAD.matcher(text).matches() && NetUtil.isValidIpV4Address(text);
        }
        return NetUtil.isValidIpV6Address(text);
    }

    /** {@code 192.0.2.1}, or {@code [2001:db8::1]} for IPv6. */
    static String ipText(InetAddress ip) {
        String text = NetUtil.toAddressString(ip);
        return ip instanceof Inet6Address ? "[" + text + "]" : text;
    }

    private static boolean isHostName(String host) {
        if (host.isEmpty() || host.length() > 253 || host.endsWith(".")) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !DOTTED_QUAD.matcher(host).matches() && !host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static String unbracket(String text) {
        return text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    }
}
