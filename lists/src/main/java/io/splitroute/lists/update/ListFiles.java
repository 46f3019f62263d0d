package io.splitroute.lists.update;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file so that a reader sees either the old content or the new, never a mix: the new content
 * goes to a temporary file in the same directory, is flushed to disk, and is renamed over the old one.
 */
public final class ListFiles {
    /** The suffix of the previous copy kept by {@link #replaceKeepingPrevious(Path, byte[])}. */
    public static final String PREVIOUS_SUFFIX = ".prev";

    private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private ListFiles() {
    }

    /** Returns where the previous copy of {@code file} is kept. */
    public static Path previous(Path file) {
        return file.resolveSibling(file.getFileName() + PREVIOUS_SUFFIX);
    }

    /**
     * Replaces {@code file} with {@code content} atomically, first keeping its current content as
     * {@code FILE.prev} (a hard link where the file system has them, a copy otherwise).
     *
     * @throws IOException if the new content cannot be written; {@code file} is then unchanged
     */
    public static void replaceKeepingPrevious(Path file, byte[] content) throws IOException {
        Path target = file.toAbsolutePath();
        keepPrevious(target);
        replace(target, content);
    }

    /**
     * Replaces {@code file} atomically with {@code newContent}, a file in the same directory (a download's
     * temporary file), first keeping the current content as {@code FILE.prev}. {@code newContent} is
     * flushed to disk, given the permissions of the file it replaces ({@code rw-r--r--} for a new file) and
     * renamed; it is gone afterwards.
     *
     * @throws IOException if it cannot be moved; {@code file} is then unchanged
     */
    public static void replaceKeepingPrevious(Path file, Path newContent) throws IOException {
        Path target = file.toAbsolutePath();
        try (FileChannel channel = FileChannel.open(newContent, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        copyPermissions(target, newContent);
        keepPrevious(target);
        move(newContent, target);
        syncDirectory(target.getParent());
    }

    private static void keepPrevious(Path target) throws IOException {
        if (Files.exists(target)) {
            Path prev = previous(target);
            Path prevTmp = temporary(target.getParent(), prev.getFileName().toString());
            Files.delete(prevTmp);
            try {
                Files.createLink(prevTmp, target);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(target, prevTmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
            move(prevTmp, prev);
        }
    }

    /**
     * Replaces (or creates) {@code file} with {@code content} atomically; it keeps the permissions of the
     * file it replaces ({@code rw-r--r--} for a new file).
     *
     * @throws IOException if the content cannot be written; {@code file} is then unchanged
     */
    public static void replace(Path file, byte[] content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = temporary(dir, target.getFileName().toString());
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            copyPermissions(target, tmp);
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    private static Path temporary(Path dir, String name) throws IOException {
        return Files.createTempFile(dir, "." + name + ".", ".tmp");
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(from) ? Files.getPosixFilePermissions(from) : NEW_FILE;
        view.setPermissions(permissions);
    }

    /** Makes the rename durable: on Linux a directory can be opened and fsynced; elsewhere this may fail. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported on this platform: the rename is still atomic, only its durability is weaker.
        }
    }
}
