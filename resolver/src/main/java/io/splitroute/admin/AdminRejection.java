package io.splitroute.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;

/** Why the admin listener refused a connection or a request, with the answer it gives (none: closed). */
enum AdminRejection {
    /** The client is outside {@code admin.allow}: closed at accept. */
    ALLOW(null, null),
    /** Too many admin connections open: closed at accept. */
    CONNECTIONS(null, null),
    /** The {@code Host} does not name this listener (DNS rebinding). */
    HOST(HttpResponseStatus.FORBIDDEN, "Host not accepted: use this listener's address, localhost, or a name "
            + "from admin.names"),
    /** A page from another origin (CSRF). */
    ORIGIN(HttpResponseStatus.FORBIDDEN, "requests from web pages of another origin are not accepted"),
    /** No bearer token, or the wrong one. */
    TOKEN(HttpResponseStatus.UNAUTHORIZED, "send the token of admin.token-file: Authorization: Bearer TOKEN"),
    /** A body over the limit (none of the endpoints takes one). */
    TOO_LARGE(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body over " + AdminHttpHandler.MAX_BODY + " bytes"),
    /** A request line or headers over the limit. */
    HEADERS(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request line or headers too large"),
    /** Not HTTP/1.x as the decoder understands it. */
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "malformed request"),
    /** The request did not arrive whole within the deadline: closed. */
    TIMEOUT(null, null);

    private final HttpResponseStatus status;
    private final String message;

    AdminRejection(HttpResponseStatus status, String message) {
        this.status = status;
        this.message = message;
    }

    /** Returns the status answered, or {@code null} when the connection is closed without an answer. */
    HttpResponseStatus status() {
        return status;
    }

    /** Returns the text answered. */
    String message() {
        return message;
    }

    /** Returns the meter tag: the name in lower case with dashes. */
    String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
