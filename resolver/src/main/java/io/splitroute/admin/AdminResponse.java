package io.splitroute.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * One answer of the admin listener.
 *
 * @param status      the HTTP status
 * @param contentType the body's media type
 * @param body        the body text
 * @param allow       the methods allowed, for a 405; otherwise {@code null}
 */
record AdminResponse(HttpResponseStatus status, String contentType, String body, String allow) {
    static final String TEXT = "text/plain; charset=utf-8";

    /** A plain-text answer. */
    static AdminResponse text(HttpResponseStatus status, String body) {
        return new AdminResponse(status, TEXT, body, null);
    }

    /** A 405 naming the methods to use. */
    static AdminResponse notAllowed(String allow) {
        return new AdminResponse(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "use " + allow + "\n", allow);
    }
}
