package io.splitroute.lists.rule;

import java.util.Objects;

/**
 * Where a rule came from, so that a decision can be explained.
 *
 * @param list the list name from the config, e.g. {@code gfwlist}
 * @param source the file path or URL the list was read from
 * @param line the 1-based line number in the source (its decoded text for base64 gfwlist), 0 if none
 * @param text the raw line as written
 */
public record Origin(String list, String source, int line, String text) {
    /** Checks the components. */
    public Origin {
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, got " + line);
        }
    }

    /** Returns {@code source:line} (or just the source when the line is unknown). */
    public String location() {
        return line > 0 ? source + ":" + line : source;
    }

    /** Returns e.g. {@code gfwlist /var/lib/splitroute/gfwlist.txt:1234 "||google.com"}. */
    @Override
    public String toString() {
        return list + " " + location() + " \"" + text + "\"";
    }
}
