package io.splitroute.upstream;

import java.util.Objects;

/** Why an upstream query ended without a reply. Carries the upstream's name and a {@link Reason}. */
public final class UpstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kind of failure, for metrics and for deciding what to tell the client. */
    public enum Reason {
        /** No valid reply within the attempt timeout. */
        TIMEOUT,
        /** The server could not be reached: connection refused, no route, send failed. */
        UNREACHABLE,
        /** The TCP connection closed (or broke) before a valid reply arrived. */
        CONNECTION_CLOSED,
        /**
         * An encrypted server failed the TLS handshake: its certificate was refused (unknown CA, wrong name,
         * wrong pin) or no protocol was agreed. Never answered over plain DNS instead.
         */
        TLS,
        /** A DNS-over-HTTPS server answered with an HTTP error status or a body that is no DNS message. */
        HTTP,
        /** The interface the server is bound to is down or gone: not sent (never by another interface). */
        INTERFACE_DOWN,
        /** Every server of a group failed; the causes are attached as suppressed exceptions. */
        ALL_FAILED,
        /** The query cannot be sent (no question); a caller bug, never retried. */
        INVALID_QUERY
    }

    private final Reason reason;
    private final String upstream;

    /** Creates an exception for {@code upstream} with a message that says what happened. */
    public UpstreamException(Reason reason, String upstream, String message, Throwable cause) {
        super(upstream + ": " + message, cause, true, false); // no stack: failures are routine, and async
        this.reason = Objects.requireNonNull(reason, "reason");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
    }

    /** Creates an exception for {@code upstream} without a cause. */
    public UpstreamException(Reason reason, String upstream, String message) {
        this(reason, upstream, message, null);
    }

    /** The kind of failure. */
    public Reason reason() {
        return reason;
    }

    /** The name of the server or group that failed. */
    public String upstream() {
        return upstream;
    }
}
