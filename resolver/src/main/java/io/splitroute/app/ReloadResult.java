package io.splitroute.app;

import java.util.List;

/**
 * What a reload did.
 *
 * @param applied  whether the new config and lists are in service
 * @param problems why not (every config error, every list that failed), or warnings when applied
 * @param summary  one line for the log and for {@code POST /reload}
 */
public record ReloadResult(boolean applied, List<String> problems, String summary) {
    /** Copies the list. */
    public ReloadResult {
        problems = List.copyOf(problems);
    }
}
