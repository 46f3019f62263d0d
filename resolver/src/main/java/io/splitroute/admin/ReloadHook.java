package io.splitroute.admin;

/** What {@code POST /reload} calls: re-reads the config and lists and swaps them in. */
@FunctionalInterface
public interface ReloadHook {
    /**
     * Reloads; returns a one-line summary of what changed (for the HTTP answer and the log).
     *
     * @throws ReloadException when the new config or a list cannot be used; the running one stays
     */
    String reload() throws ReloadException;

    /** A reload that failed, with the reason to show the operator; the running config stays in force. */
    final class ReloadException extends Exception {
        private static final long serialVersionUID = 1L;

        /** @param message why the reload failed (every config problem, one per line) */
        public ReloadException(String message) {
            super(message);
        }
    }
}
