package io.splitroute.lists.rule;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * A compiled rule table in a file, opened by mapping it read-only, so that its rules cost neither parse time
 * nor Java heap: the table reads its compiled form ({@link RuleTable#compiledForm()}) where the file lies.
 *
 * <p>The file starts with a header: magic {@code SRRULES}, {@link #FORMAT_VERSION}, the file's length, a
 * CRC32 of the header and one of the body, and two caller-given blocks kept with the table: a key (text
 * naming what the table was compiled from, so that a caller can tell a stale file) and extra bytes (e.g.
 * the lists' load summaries). {@link #open} checks all of it, and the body's checksum, before it trusts a
 * byte: a truncated, corrupt or foreign file is an {@link InvalidFileException} with the reason, never a
 * table. {@link #write} writes a temporary file beside the target and renames it over, so a reader (also a
 * running server with the old file mapped) sees the old file or the new one, never a mix.
 */
public final class RuleTableFile {
    /** The layout version; a file of another version is not read (it is rebuilt). */
    public static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC = {'S', 'R', 'R', 'U', 'L', 'E', 'S', 0};
    private static final int HEADER = 56;
    private static final int HEADER_CRC_AT = 12;

    private RuleTableFile() {
    }

    /**
     * What {@link #open} read.
     *
     * @param table the table, over the mapped file
     * @param key   the key written with it
     * @param extra the extra bytes written with it
     */
    public record Opened(RuleTable table, String key, byte[] extra) {
    }

    /** A file that cannot be a compiled rule table: truncated, corrupt, of another version, or not one at all. */
    public static final class InvalidFileException extends IOException {
        /** @param reason what is wrong, e.g. {@code truncated: 100 of 4096 bytes} */
        public InvalidFileException(String reason) {
            super(reason);
        }
    }

    /**
     * Writes a table atomically: into a temporary file in the same directory, flushed to disk, then renamed
     * over {@code file}.
     *
     * @param file  where to write
     * @param table the table
     * @param key   text naming what the table was compiled from (returned by {@link #open})
     * @param extra other bytes to keep with it (returned by {@link #open})
     * @throws IOException if it cannot be written; {@code file} is then unchanged
     */
    public static void write(Path file, RuleTable table, String key, byte[] extra) throws IOException {
        MemorySegment body = table.compiledForm();
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        long bodyOffset = align(HEADER + (long) keyBytes.length + extra.length);
        long length = bodyOffset + body.byteSize();
        ByteBuffer head = ByteBuffer.allocate((int) bodyOffset).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).putInt(FORMAT_VERSION).putInt(0).putLong(length).putInt(keyBytes.length).putInt(extra.length)
                .putLong(bodyOffset).putLong(body.byteSize()).putInt(crc(body)).putInt(0).put(keyBytes).put(extra);
        head.putInt(HEADER_CRC_AT, headerCrc(head.array()));
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, head.position(0));
                byte[] chunk = new byte[1 << 16];
                for (long at = 0; at < body.byteSize(); at += chunk.length) {
                    int n = (int) Math.min(chunk.length, body.byteSize() - at);
                    MemorySegment.copy(body, ValueLayout.JAVA_BYTE, at, chunk, 0, n);
                    writeFully(out, ByteBuffer.wrap(chunk, 0, n));
                }
                out.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /**
     * Maps a table file read-only and checks it; the mapping lives as long as the table is reachable.
     *
     * @param file the file
     * @return the table and the key and extra bytes written with it
     * @throws InvalidFileException if the file is not a complete, intact table of this {@link #FORMAT_VERSION}
     * @throws IOException if it cannot be read (e.g. {@link java.nio.file.NoSuchFileException})
     */
    public static Opened open(Path file) throws IOException {
        MemorySegment m;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size < HEADER) {
                throw new InvalidFileException("truncated: " + size + " bytes, shorter than the header");
            }
            m = in.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
        }
        ByteBuffer head = ByteBuffer.wrap(m.asSlice(0, HEADER).toArray(ValueLayout.JAVA_BYTE)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        head.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new InvalidFileException("not a compiled rule table (no SRRULES header)");
        }
        int version = head.getInt();
        if (version != FORMAT_VERSION) {
            throw new InvalidFileException("format version " + version + ", this splitroute reads version " + FORMAT_VERSION);
        }
        int storedHeaderCrc = head.getInt();
        long length = head.getLong();
        if (length != m.byteSize()) {
            throw new InvalidFileException((m.byteSize() < length ? "truncated: " : "too long: ") + m.byteSize()
                    + " bytes, the header says " + length);
        }
        int keyLength = head.getInt();
        int extraLength = head.getInt();
        long bodyOffset = head.getLong();
        long bodyLength = head.getLong();
        int bodyCrc = head.getInt();
        if (keyLength < 0 || extraLength < 0 || bodyOffset != align(HEADER + (long) keyLength + extraLength)
                || bodyLength < 0 || bodyOffset + bodyLength != length) {
            throw new InvalidFileException("corrupt header: key " + keyLength + ", extra " + extraLength + ", body "
                    + bodyLength + " bytes at " + bodyOffset + " in " + length);
        }
        byte[] header = m.asSlice(0, bodyOffset).toArray(ValueLayout.JAVA_BYTE);
        if (headerCrc(header) != storedHeaderCrc) {
            throw new InvalidFileException("corrupt header: checksum mismatch");
        }
        MemorySegment body = m.asSlice(bodyOffset, bodyLength);
        if (crc(body) != bodyCrc) {
            throw new InvalidFileException("corrupt: the rules' checksum does not match");
        }
        String key = new String(header, HEADER, keyLength, StandardCharsets.UTF_8);
        byte[] extra = Arrays.copyOfRange(header, HEADER + keyLength, HEADER + keyLength + extraLength);
        try {
            return new Opened(RuleTable.of(body), key, extra);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new InvalidFileException("corrupt: " + e.getMessage());
        }
    }

    private static long align(long at) {
        return (at + 7) & ~7L;
    }

    /** CRC32 of the header block with its own checksum field taken as zero. */
    private static int headerCrc(byte[] header) {
        CRC32 crc = new CRC32();
        crc.update(header, 0, HEADER_CRC_AT);
        crc.update(new byte[4]);
        crc.update(header, HEADER_CRC_AT + 4, header.length - HEADER_CRC_AT - 4);
        return (int) crc.getValue();
    }

    /**
     * CRC32 of the rules, through a small buffer: {@link CRC32} runs native code even before the JIT has
     * compiled anything, where CRC32C or SHA-256 would run interpreted at start (8 MB: 2 ms against 0.1-0.8 s).
     */
    private static int crc(MemorySegment body) {
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[1 << 16];
        for (long at = 0; at < body.byteSize(); at += chunk.length) {
            int n = (int) Math.min(chunk.length, body.byteSize() - at);
            MemorySegment.copy(body, ValueLayout.JAVA_BYTE, at, chunk, 0, n);
            crc.update(chunk, 0, n);
        }
        return (int) crc.getValue();
    }
}
