package io.splitroute.upstream.tls;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * How a group's encrypted servers are authenticated.
 *
 * @param caFile    a PEM file of the only CAs to trust, or {@code null} for the system trust store
 * @param pinSha256 base64 SHA-256 hashes of SubjectPublicKeyInfo; when not empty, some certificate of the
 *                  server's (verified) chain must have one of them
 * @param sni       the name sent as SNI and checked against the certificate instead of the server's HOST,
 *                  or {@code null}
 */
public record TlsOptions(Path caFile, List<String> pinSha256, String sni) {

    /** The system trust store, no pins, HOST as the name. */
    public static final TlsOptions DEFAULT = new TlsOptions(null, List.of(), null);

    /** Checks the pins (44 base64 characters each, a SHA-256) and the SNI name. */
    public TlsOptions {
        pinSha256 = List.copyOf(Objects.requireNonNullElse(pinSha256, List.of()));
        for (String pin : pinSha256) {
            pinBytes(pin);
        }
        if (sni != null && (sni.isBlank() || sni.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@'))) {
            throw new IllegalArgumentException("sni '" + sni + "' is not a host name");
        }
    }

    /** The name to send and check for a server whose URI says {@code host}. */
    public String nameFor(String host) {
        return sni != null ? sni : host;
    }

    static byte[] pinBytes(String pin) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(pin.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pin-sha256 '" + pin + "' is not base64: " + e.getMessage());
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("pin-sha256 '" + pin + "' is " + bytes.length
                    + " bytes, not a SHA-256 (32 bytes, 44 base64 characters)");
        }
        return bytes;
    }
}
