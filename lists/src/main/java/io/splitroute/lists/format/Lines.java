package io.splitroute.lists.format;

/** Iterates the lines of a text without regular expressions (a 4 MB list is split in milliseconds). */
final class Lines {
    private final String text;
    private int pos;
    private int number;

    Lines(String text) {
        this.text = text;
        // A byte-order mark would otherwise stick to the first rule.
        this.pos = text.startsWith("\uFEFF") ? 1 : 0;
    }

    /** Returns the next line without its terminator ({@code \n} or {@code \r\n}), or null at the end. */
    String next() {
        if (pos >= text.length()) {
            return null;
        }
        int nl = text.indexOf('\n', pos);
        int end = nl < 0 ? text.length() : nl;
        int stop = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
        String line = text.substring(pos, stop);
        pos = nl < 0 ? text.length() : nl + 1;
        number++;
        return line;
    }

    /** Returns the 1-based number of the line last returned by {@link #next()}. */
    int number() {
        return number;
    }
}
