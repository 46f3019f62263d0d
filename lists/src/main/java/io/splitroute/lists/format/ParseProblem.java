package io.splitroute.lists.format;

import java.util.Objects;

/**
 * A line a list reader skipped, and why.
 *
 * @param source the file path or URL
 * @param line the 1-based line number (in the decoded text for a base64 gfwlist)
 * @param reason what is wrong, quoting the value
 */
public record ParseProblem(String source, int line, String reason) {
    /** Checks the components. */
    public ParseProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
    }

    /** Returns {@code source:line: reason}. */
    @Override
    public String toString() {
        return source + ":" + line + ": " + reason;
    }
}
