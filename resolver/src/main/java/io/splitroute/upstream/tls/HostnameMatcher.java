package io.splitroute.upstream.tls;

import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Checks a certificate against the name a client asked for (RFC 6125 as browsers do it): a host name against
 * the DNS names of the subjectAltName (a {@code *} only as the whole leftmost label, matching one label), an
 * IP address against its IP addresses. The subject's CN is not used (RFC 9525).
 */
final class HostnameMatcher {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatcher() {}

    /** Whether {@code certificate} is valid for {@code name} (a host name or an IP literal). */
    static boolean matches(X509Certificate certificate, String name) {
        boolean ip = isIp(name);
        String wanted = ip ? normalIp(name) : name.toLowerCase(Locale.ROOT);
        for (List<?> san : subjectAltNames(certificate)) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (ip && type == SAN_IP && wanted.equals(normalIp(value))) {
                return true;
            }
            if (!ip && type == SAN_DNS && dnsMatch(value.toLowerCase(Locale.ROOT), wanted)) {
                return true;
            }
        }
        return false;
    }

    /** The subjectAltNames as text, for error messages: {@code DNS:dns.google, IP:8.8.8.8}. */
    static List<String> describe(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        for (List<?> san : subjectAltNames(certificate)) {
            int type = (Integer) san.get(0);
            if (type == SAN_DNS || type == SAN_IP) {
                names.add((type == SAN_DNS ? "DNS:" : "IP:") + san.get(1));
            }
        }
        return names;
    }

    /** Whether the SAN DNS name {@code pattern} (lower case, maybe {@code *.} first) covers {@code name}. */
    static boolean dnsMatch(String pattern, String name) {
        if (pattern.endsWith(".")) {
            pattern = pattern.substring(0, pattern.length() - 1);
        }
        if (pattern.startsWith("*.")) {
            int dot = name.indexOf('.');
            return dot > 0 && pattern.substring(2).indexOf('.') > 0 && name.substring(dot + 1).equals(pattern.substring(2));
        }
        return pattern.equals(name);
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static boolean isIp(String name) {
        return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static String normalIp(String text) {
        try {
            return InetAddress.ofLiteral(text).getHostAddress();
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
