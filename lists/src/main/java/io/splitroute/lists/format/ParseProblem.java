package io.splitroute.lists.format;

import io.splitroute.lists.rule.Origin;
import java.util.Objects;

/**
 * A line a list reader dropped, and why.
 *
 * @param source   the file path or URL; for a base64 gfwlist, the path followed by {@link Origin#DECODED},
 *                 since the line number counts lines of the decoded text
 * @param line     the 1-based line number
 * @param reason   what is wrong, quoting the value
 * @param category the kind of problem, a short fixed phrase such as {@code invalid name} or
 *                 {@code unknown top-level domain}, used to count dropped lines by reason
 */
public record ParseProblem(String source, int line, String reason, String category) {
    /** The category of a problem made without one. */
    public static final String OTHER = "other";

    /** Checks the components. */
    public ParseProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(category, "category");
    }

    /**
     * Creates a problem of category {@link #OTHER}.
     *
     * @param source the file path or URL
     * @param line   the 1-based line number
     * @param reason what is wrong, quoting the value
     */
    public ParseProblem(String source, int line, String reason) {
        this(source, line, reason, OTHER);
    }

    /**
     * Returns {@code source:line: reason}; for a base64 list {@code FILE (base64), decoded line N: reason}
     * ({@link Origin#location(String, int)}).
     */
    @Override
    public String toString() {
        return Origin.location(source, line) + ": " + reason;
    }
}
