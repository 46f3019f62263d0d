package io.splitroute.lists.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads a gfwlist file streamed, base64 or plain, so that neither the file nor its decoded text is ever
 * held whole: the same rules, problems and line numbers as {@link GfwListFormat#parse} on the whole text.
 */
final class GfwListFiles {
    private GfwListFiles() {
    }

    /** Reads a gfwlist file; base64 content ({@link #isBase64(Path)}) is decoded while it is read. */
    static ParsedList load(String listName, Path file, String source) throws IOException {
        GfwListFormat format = new GfwListFormat();
        if (!isBase64(file)) {
            try (Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
                return format.parse(listName, source, new Lines(in));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        try (InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
             Reader in = new InputStreamReader(Base64.getMimeDecoder().wrap(new ReadErrors(raw)), StandardCharsets.UTF_8)) {
            return format.parse(listName, source, GfwListFormat.decodedSource(source), new Lines(in));
        } catch (ReadFailure e) {
            throw e.getCause();
        } catch (UncheckedIOException e) {
            // Lines wraps what the decoder threw: the content is not valid base64
            ParsedList.Collector c = new ParsedList.Collector(listName, source, ListFormatKind.GFWLIST);
            c.problem(1, "bad base64", "looks like base64 but does not decode: " + e.getCause().getMessage());
            return c.build();
        }
    }

    /**
     * Tells whether a file is a base64 blob as {@link GfwListFormat#isBase64(String)} tells it for the
     * file's text: only base64 characters, whitespace and a byte-order mark, and at least 16 of the first.
     */
    static boolean isBase64(Path file) throws IOException {
        byte[] buf = new byte[1 << 14];
        long significant = 0;
        boolean start = true;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                int i = 0;
                if (start && n >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
                    i = 3;
                }
                start = false;
                for (; i < n; i++) {
                    int b = buf[i] & 0xff;
                    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/' || b == '=') {
                        significant++;
                    } else if (!(b == ' ' || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F))) {
                        return false;
                    }
                }
            }
        }
        return significant >= 16;
    }

    /** Marks a failure to read the file, so that it is told apart from the decoder's complaint. */
    private static final class ReadErrors extends java.io.FilterInputStream {
        ReadErrors(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new ReadFailure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new ReadFailure(e);
            }
        }
    }

    /** A read error of the file under the decoder. */
    private static final class ReadFailure extends UncheckedIOException {
        ReadFailure(IOException cause) {
            super(cause);
        }
    }
}
