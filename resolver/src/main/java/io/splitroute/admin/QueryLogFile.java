package io.splitroute.admin;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where the query log's lines go: stderr, or a file capped in size. A line that would take the file past its
 * cap first rotates it: {@code FILE.1} becomes {@code FILE.2} and so on up to {@code FILE.keep} (the oldest is
 * replaced), {@code FILE} becomes {@code FILE.1}, and a new {@code FILE} is started. {@link #reopen} closes the
 * file and opens it again by name, for logrotate's move-then-signal convention. Used by one thread.
 */
final class QueryLogFile implements AutoCloseable {
    private static final int BUFFER = 1 << 16;

    private final Path file;
    private final long maxSize;
    private final int keep;
    private OutputStream out;
    private long size;

    private QueryLogFile(Path file, long maxSize, int keep) {
        this.file = file;
        this.maxSize = maxSize;
        this.keep = keep;
    }

    /** Returns a sink writing to stderr, never rotated; closing it leaves stderr open. */
    static QueryLogFile stderr() {
        QueryLogFile sink = new QueryLogFile(null, Long.MAX_VALUE, 0);
        sink.out = new BufferedOutputStream(System.err, BUFFER) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
        return sink;
    }

    /** Opens {@code file} for appending (created when missing). */
    static QueryLogFile open(Path file, long maxSize, int keep) throws IOException {
        QueryLogFile sink = new QueryLogFile(file, maxSize, keep);
        sink.openFile();
        return sink;
    }

    private void openFile() throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), BUFFER);
        size = Files.size(file);
    }

    /** Appends {@code line} and a newline, rotating the file first when the line would take it past the cap. */
    void write(String line) throws IOException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (file != null && size > 0 && size + bytes.length + 1 > maxSize) {
            rotate();
        }
        out.write(bytes);
        out.write('\n');
        size += bytes.length + 1;
    }

    /** Writes out what is buffered. */
    void flush() throws IOException {
        out.flush();
    }

    /** Closes the file and opens it again by name (after logrotate moved it away); stderr stays as it is. */
    void reopen() throws IOException {
        if (file != null) {
            out.close();
            openFile();
        }
    }

    private void rotate() throws IOException {
        out.close();
        if (keep == 0) {
            Files.deleteIfExists(file);
        } else {
            for (int i = keep - 1; i >= 1; i--) {
                Path older = rotated(i);
                if (Files.exists(older)) {
                    Files.move(older, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (Files.exists(file)) { // gone if someone removed it: start a new one all the same
                Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        openFile();
    }

    private Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
