package io.splitroute.lists.update;

import java.io.IOException;

/** A download that did not complete: HTTP error status, timeout, size cap, connection lost. */
public class DownloadException extends IOException {
    /** @param message what went wrong, e.g. {@code HTTP 500} */
    public DownloadException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
