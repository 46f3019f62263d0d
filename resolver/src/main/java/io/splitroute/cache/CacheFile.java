package io.splitroute.cache;

import io.splitroute.query.Source;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The cache file: a header (magic {@code SRCACHE\n}, format version, when it was saved, entry count, file
 * length), the entries (key fields, route and its stamp, source, upstream, when stored, lifetime, wire form), and
 * a CRC-32C of everything before it. Written to a temporary file beside the target, forced to disk and renamed over
 * it, so a crash leaves the old file or the new one, never half of one. A file that is foreign, of another version,
 * truncated or corrupt is refused whole with a {@link Unreadable} that says which.
 */
final class CacheFile {
    /** The first eight bytes of every cache file. */
    static final byte[] MAGIC = {'S', 'R', 'C', 'A', 'C', 'H', 'E', '\n'};
    /** The format version this code writes and reads. */
    static final int VERSION = 1;
    private static final int HEADER = MAGIC.length + 4 + 8 + 4 + 8;
    private static final int TRAILER = 4;
    private static final int MAX_WIRE = 65_535;

    private CacheFile() {}

    /**
     * One saved entry.
     *
     * @param key             the cache key (its route is not null)
     * @param routeStamp      what must be unchanged for the entry to stay right ({@link RouteCheck#stamp})
     * @param source          how the reply was first obtained
     * @param upstream        the upstream group that answered, or {@code null}
     * @param storedAtMillis  when it was stored, wall-clock milliseconds since the epoch
     * @param lifetimeSeconds its lifetime
     * @param wire            its stored wire form
     */
    record Entry(CacheKey key, String routeStamp, Source source, String upstream, long storedAtMillis,
                 long lifetimeSeconds, byte[] wire) {}

    /**
     * What a file held.
     *
     * @param savedAtMillis when it was written, wall-clock milliseconds since the epoch
     * @param entries       the entries, in file order
     */
    record Contents(long savedAtMillis, List<Entry> entries) {}

    /** Why a file was refused: not a cache file, another version, truncated, or corrupt. */
    static final class Unreadable extends IOException {
        Unreadable(String message) {
            super(message);
        }
    }

    /** Writes {@code entries} to {@code file} atomically (temporary file, fsync, rename, fsync of the directory). */
    static void write(Path file, long savedAtMillis, List<Entry> entries) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        // Owner only: the file is a record of the names the LAN asked for.
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            CRC32C crc = new CRC32C();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(
                    new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), crc));
            long length = HEADER + TRAILER;
            for (Entry e : entries) {
                length += size(e);
            }
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(savedAtMillis);
            out.writeInt(entries.size());
            out.writeLong(length);
            for (Entry e : entries) {
                writeEntry(out, e);
            }
            out.flush();
            new DataOutputStream(Channels.newOutputStream(channel)).writeInt((int) crc.getValue());
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static void writeEntry(DataOutputStream out, Entry e) throws IOException {
        CacheKey k = e.key();
        out.writeByte((k.dnssecOk() ? 1 : 0) | (k.checkingDisabled() ? 2 : 0));
        out.writeUTF(k.name());
        out.writeShort(k.type());
        out.writeShort(k.dclass());
        out.writeUTF(k.route());
        out.writeUTF(e.routeStamp());
        out.writeUTF(e.source().name());
        out.writeUTF(e.upstream() == null ? "" : e.upstream());
        out.writeLong(e.storedAtMillis());
        out.writeLong(e.lifetimeSeconds());
        if (e.wire().length > MAX_WIRE) {
            throw new IllegalArgumentException("a DNS message of " + e.wire().length + " bytes");
        }
        out.writeShort(e.wire().length);
        out.write(e.wire());
    }

    /** The bytes {@code e} takes in the file (UTF lengths as DataOutput counts them for ASCII names). */
    private static long size(Entry e) {
        CacheKey k = e.key();
        return 1 + utf(k.name()) + 2 + 2 + utf(k.route()) + utf(e.routeStamp()) + utf(e.source().name())
                + utf(e.upstream() == null ? "" : e.upstream()) + 8 + 8 + 2 + e.wire().length;
    }

    private static long utf(String s) {
        long n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c >= 1 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
        }
        return n;
    }

    /**
     * Reads a cache file whole: the checksum is verified before any entry is returned.
     *
     * @param maxLength the longest file read; a longer one is refused unread
     * @throws Unreadable when it is not a cache file of this version, or truncated, corrupt or too long
     * @throws IOException when it cannot be read
     */
    static Contents read(Path file, long maxLength) throws IOException {
        long size = Files.size(file);
        if (size > maxLength) {
            throw new Unreadable(size + " bytes, more than the " + maxLength + " the cache may hold");
        }
        long savedAt;
        try (InputStream in = Files.newInputStream(file)) {
            savedAt = checkSum(in, size);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            in.skipNBytes(HEADER - 12);
            int count = in.readInt();
            in.skipNBytes(8);
            List<Entry> entries = new ArrayList<>(Math.min(count, 100_000));
            for (int i = 0; i < count; i++) {
                entries.add(readEntry(in));
            }
            return new Contents(savedAt, entries);
        } catch (EOFException e) {
            throw new Unreadable("corrupt: an entry runs past the end of the file");
        } catch (IllegalArgumentException e) {
            throw new Unreadable("corrupt: " + e.getMessage());
        }
    }

    /** Checks the header (magic, version, length) and the CRC of the whole file; returns when it was saved. */
    private static long checkSum(InputStream raw, long size) throws IOException {
        if (size < HEADER + TRAILER) {
            byte[] start = raw.readNBytes(MAGIC.length);
            throw new Unreadable(Arrays.equals(start, Arrays.copyOf(MAGIC, start.length))
                    ? "truncated: " + size + " bytes, shorter than a header" : "not a splitroute cache file");
        }
        CRC32C crc = new CRC32C();
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        DataInputStream in = new DataInputStream(new CheckedInputStream(buffered, crc));
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new Unreadable("not a splitroute cache file");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new Unreadable("format version " + version + "; this splitroute reads version " + VERSION);
        }
        long savedAt = in.readLong();
        int count = in.readInt();
        long length = in.readLong();
        if (count < 0 || count > CacheConfig.MAX_SIZE) {
            throw new Unreadable("corrupt: " + count + " entries");
        }
        if (length != size) {
            throw new Unreadable(size < length ? "truncated: " + size + " of " + length + " bytes"
                    : "corrupt: " + size + " bytes where the header says " + length);
        }
        in.skipNBytes(size - HEADER - TRAILER);
        int expected = (int) crc.getValue();
        int stored = new DataInputStream(buffered).readInt();
        if (stored != expected) {
            throw new Unreadable("corrupt: checksum mismatch");
        }
        return savedAt;
    }

    private static Entry readEntry(DataInputStream in) throws IOException {
        int flags = in.readUnsignedByte();
        String name = in.readUTF();
        int type = in.readUnsignedShort();
        int dclass = in.readUnsignedShort();
        String route = in.readUTF();
        String stamp = in.readUTF();
        Source source = Source.valueOf(in.readUTF());
        String upstream = in.readUTF();
        long storedAt = in.readLong();
        long lifetime = in.readLong();
        byte[] wire = new byte[in.readUnsignedShort()];
        in.readFully(wire);
        CacheKey key = new CacheKey(name, type, dclass, (flags & 1) != 0, (flags & 2) != 0, route);
        return new Entry(key, stamp, source, upstream.isEmpty() ? null : upstream, storedAt, lifetime, wire);
    }
}
