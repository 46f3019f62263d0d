package io.splitroute.lists.format;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;

/**
 * Iterates the lines of a text without regular expressions (a 4 MB list is split in milliseconds), from a
 * string or streamed from a reader (then the whole text is never held: 8 MB less heap touched for the
 * china list's file bytes and their string).
 */
final class Lines {
    private final String text;
    private final Reader reader;
    private char[] buf;
    private int bufStart;
    private int bufEnd;
    private boolean eof;
    private int pos;
    private int number;

    Lines(String text) {
        this.text = text;
        this.reader = null;
        // A byte-order mark would otherwise stick to the first rule.
        this.pos = text.startsWith("\uFEFF") ? 1 : 0;
    }

    /** Streams the lines of a reader (not closed here); an I/O error surfaces as {@link UncheckedIOException}. */
    Lines(Reader reader) {
        this.text = null;
        this.reader = reader;
        this.buf = new char[1 << 14];
        fill();
        if (bufEnd > 0 && buf[0] == '\uFEFF') {
            bufStart = 1;
        }
    }

    /** Returns the next line without its terminator ({@code \n} or {@code \r\n}), or null at the end. */
    String next() {
        return reader != null ? nextFromReader() : nextFromText();
    }

    private String nextFromText() {
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

    private String nextFromReader() {
        int scan = bufStart;
        while (true) {
            for (int i = scan; i < bufEnd; i++) {
                if (buf[i] == '\n') {
                    return line(i, i + 1);
                }
            }
            if (eof) {
                return bufStart < bufEnd ? line(bufEnd, bufEnd) : null;
            }
            scan = bufEnd - bufStart;
            fill();
        }
    }

    private String line(int end, int next) {
        int stop = end > bufStart && buf[end - 1] == '\r' ? end - 1 : end;
        String line = new String(buf, bufStart, stop - bufStart);
        bufStart = next;
        number++;
        return line;
    }

    /** Moves the unread part to the front (growing the buffer for a very long line) and reads more. */
    private void fill() {
        int kept = bufEnd - bufStart;
        if (kept == buf.length) {
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        } else if (bufStart > 0) {
            System.arraycopy(buf, bufStart, buf, 0, kept);
        }
        bufStart = 0;
        bufEnd = kept;
        try {
            int n = reader.read(buf, bufEnd, buf.length - bufEnd);
            if (n < 0) {
                eof = true;
            } else {
                bufEnd += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the 1-based number of the line last returned by {@link #next()}. */
    int number() {
        return number;
    }
}
