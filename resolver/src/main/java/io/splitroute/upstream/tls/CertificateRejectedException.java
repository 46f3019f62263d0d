package io.splitroute.upstream.tls;

import java.security.cert.CertificateException;
import java.util.Objects;

/** A server's certificate chain was refused; says why ({@link Kind}) and what the server presented. */
public final class CertificateRejectedException extends CertificateException {

    private static final long serialVersionUID = 1L;

    /** Why a chain was refused. */
    public enum Kind {
        /** Not issued by a trusted CA (unknown CA, self-signed, expired, broken chain). */
        UNTRUSTED,
        /** Issued for another name. */
        WRONG_NAME,
        /** Trusted and for the right name, but no certificate of the chain has a pinned key. */
        WRONG_PIN
    }

    private final Kind kind;

    /** A rejection of {@code kind}; {@code message} says what was expected and what was presented. */
    public CertificateRejectedException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Why the chain was refused. */
    public Kind kind() {
        return kind;
    }
}
