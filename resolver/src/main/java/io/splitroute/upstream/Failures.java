package io.splitroute.upstream;

import io.splitroute.upstream.tls.CertificateRejectedException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLException;

/** Turns what a socket or TLS engine threw into the {@link UpstreamException} a query ends with. */
final class Failures {

    private Failures() {}

    /**
     * {@code what: reason}, as {@link UpstreamException.Reason#TLS} when TLS is the cause (the certificate's
     * refusal says what the server presented), else {@link UpstreamException.Reason#CONNECTION_CLOSED}.
     */
    static UpstreamException of(String server, String what, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof UpstreamException u) {
            return u;
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertificateRejectedException rejected) {
                return new UpstreamException(UpstreamException.Reason.TLS, server, "certificate refused ("
                        + rejected.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "): "
                        + rejected.getMessage(), rejected);
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException ssl) {
                return new UpstreamException(UpstreamException.Reason.TLS, server, what + ": " + ssl.getMessage(), ssl);
            }
        }
        return new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, server,
                what + ": " + (cause == null ? "closed" : cause.getMessage()), cause);
    }

    /**
     * {@link UpstreamException.Reason#UNREACHABLE} for a failed connect or send (refused, no route, network
     * down), or {@link #of} when TLS failed.
     */
    static UpstreamException unreachable(String server, String what, Throwable error) {
        UpstreamException classified = of(server, what, error);
        if (classified.reason() != UpstreamException.Reason.CONNECTION_CLOSED) {
            return classified;
        }
        return new UpstreamException(UpstreamException.Reason.UNREACHABLE, server, classified.getMessage()
                .substring(server.length() + 2), classified.getCause());
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
