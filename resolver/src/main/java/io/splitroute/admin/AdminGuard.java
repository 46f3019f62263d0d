package io.splitroute.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;

/**
 * Who may use the admin listener: a client inside {@code admin.allow} (checked at accept), sending a {@code Host}
 * that names this listener (its address, a loopback address, {@code localhost}, or a name from {@code admin.names}:
 * a DNS-rebinding page sends its own name), no {@code Origin} or this listener's own, port included (a page
 * elsewhere posting a form sends its origin), and the bearer token when one is configured.
 */
final class AdminGuard {
    private final List<IpSubnetFilterRule> allow;
    private final List<String> names;
    private final byte[] token;

    /**
     * @param allow the client networks served, such as {@code 192.168.1.0/24}, or {@code null} for any
     * @param names host names accepted besides addresses and {@code localhost}
     * @param token the bearer token every request must carry, or {@code null}
     */
    AdminGuard(List<String> allow, List<String> names, String token) {
        this.allow = allow == null ? null : allow.stream().map(AdminGuard::rule).toList();
        this.names = names.stream().map(AdminGuard::normalise).toList();
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns whether a connection from {@code client} may be served. */
    boolean admits(InetSocketAddress client) {
        if (allow == null) {
            return true;
        }
        for (IpSubnetFilterRule rule : allow) {
            if (rule.matches(client)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks one request's headers, received on a connection whose local end is {@code local}; returns why it is
     * refused, or {@code null} when it may go on.
     */
    AdminRejection check(HttpRequest request, InetSocketAddress local) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host != null && !authorityAccepted(host, local)) {
            return AdminRejection.HOST;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !originAccepted(origin, local)) {
            return AdminRejection.ORIGIN;
        }
        if (token != null && !tokenPresented(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            return AdminRejection.TOKEN;
        }
        return null;
    }

    /**
     * Whether a {@code Host} value names this listener. Its port is not compared: what DNS rebinding changes is
     * the name, and a port mapped in front of the listener (Docker, a proxy) is not the one it binds.
     */
    private boolean authorityAccepted(String authority, InetSocketAddress local) {
        String host;
        String port;
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            if (end < 0 || (end + 1 < authority.length() && authority.charAt(end + 1) != ':')) {
                return false;
            }
            host = authority.substring(1, end);
            port = end + 1 < authority.length() ? authority.substring(end + 2) : "";
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
                return false;
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? "" : authority.substring(colon + 1);
        }
        return port.chars().allMatch(c -> c >= '0' && c <= '9') && port.length() <= 5
                && hostAccepted(host, local.getAddress());
    }

    private boolean originAccepted(String origin, InetSocketAddress local) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            String host = uri.getHost();
            if (!(scheme.equals("http") || scheme.equals("https")) || host == null || port != local.getPort()) {
                return false; // "null" (a sandboxed page), another scheme, another port: not this listener
            }
            return hostAccepted(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, local.getAddress());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private boolean hostAccepted(String host, InetAddress local) {
        String name = normalise(host);
        if (name.equals("localhost") || names.contains(name)) {
            return true;
        }
        if (!name.isEmpty() && (name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            try {
                InetAddress address = InetAddress.ofLiteral(name); // a literal: never a DNS lookup
                return address.isLoopbackAddress() || address.equals(local);
            } catch (IllegalArgumentException notAnAddress) {
                return false;
            }
        }
        return false;
    }

    private boolean tokenPresented(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, token);
    }

    private static String normalise(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static IpSubnetFilterRule rule(String cidr) {
        int slash = cidr.indexOf('/');
        return new IpSubnetFilterRule(cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)),
                IpFilterRuleType.ACCEPT);
    }
}
