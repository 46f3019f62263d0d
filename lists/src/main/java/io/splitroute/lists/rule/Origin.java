package io.splitroute.lists.rule;

import java.util.Objects;

/**
 * Where a rule came from, so that a decision can be explained.
 *
 * @param list the list name from the config, e.g. {@code gfwlist}
 * @param source the file path or URL the list was read from
 * @param line the 1-based line number in the source (its decoded text for base64 gfwlist, whose source then
 *             ends in {@link #DECODED}), 0 if none
 * @param text the raw line as written
 */
public record Origin(String list, String source, int line, String text) {
    /**
     * What a base64 list's source ends with: its line numbers count lines of the decoded text, which no line
     * of the file itself matches.
     */
    public static final String DECODED = " (decoded)";

    /** Checks the components. */
    public Origin {
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, got " + line);
        }
    }

    /**
     * Returns {@code source:line} (just the source when the line is unknown); for a base64 list,
     * {@code FILE (base64), decoded line N}, since line N of the file itself is base64.
     */
    public String location() {
        return location(source, line);
    }

    /** Returns how a message names line {@code line} of {@code source}, as {@link #location()} does. */
    public static String location(String source, int line) {
        if (line <= 0) {
            return source;
        }
        if (source.endsWith(DECODED)) {
            return source.substring(0, source.length() - DECODED.length()) + " (base64), decoded line " + line;
        }
        return source + ":" + line;
    }

    /** Returns e.g. {@code gfwlist /var/lib/splitroute/domains.txt:1234 "google.com"}. */
    @Override
    public String toString() {
        return list + " " + location() + " \"" + text + "\"";
    }
}
