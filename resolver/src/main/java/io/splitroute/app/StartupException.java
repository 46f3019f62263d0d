package io.splitroute.app;

/** splitroute cannot start: a listen address is taken, a kernel set is missing, and so on. The message says what to do. */
public final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and how to fix it */
    public StartupException(String message) {
        super(message);
    }
}
