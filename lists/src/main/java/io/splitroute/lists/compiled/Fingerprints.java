package io.splitroute.lists.compiled;

import io.splitroute.lists.BundledLists;
import io.splitroute.lists.rule.RuleTable;
import io.splitroute.lists.rule.RuleTableFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * What identifies the inputs of a compiled table besides its spec: each list file's size and CRC32 of its
 * content (a bundled list's too, {@code absent} for a missing file), and the code and JDK that compiled it
 * (the JDK's list of top-level domains decides which rules load; a new splitroute may read lists
 * differently). The content is checked, not the modification time, so an edit that keeps size and time is
 * still seen; CRC32 because it runs native code at start, where SHA-256 runs interpreted (4 MB: 2 ms against
 * 0.5 s in a fresh JVM). It guards against stale files, not against an attacker, who could edit the
 * compiled file as easily as the lists.
 */
final class Fingerprints {
    private Fingerprints() {
    }

    /** Returns e.g. {@code size=4063624 crc32=1a2b3c4d}, or {@code absent}. */
    static String of(Path file) throws IOException {
        CRC32 crc = new CRC32();
        if (BundledLists.isBundled(file)) {
            byte[] bytes = BundledLists.bytes(file);
            crc.update(bytes);
            return "bundled size=" + bytes.length + " crc32=" + Long.toHexString(crc.getValue());
        }
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
                size += n;
            }
        } catch (NoSuchFileException e) {
            return "absent";
        }
        return "size=" + size + " crc32=" + Long.toHexString(crc.getValue());
    }

    /** Like {@link #of}, with a file that cannot be read (other than missing) named as such. */
    static String ofQuietly(Path file) {
        try {
            return of(file);
        } catch (IOException | RuntimeException e) {
            return "unreadable";
        }
    }

    /** The format, code and JDK a table file depends on, as one line. */
    static String environment() {
        return "splitroute-rules " + RuleTableFile.FORMAT_VERSION + " java " + Runtime.version() + " code " + codeIdentity();
    }

    /** The size and modification time of the jar holding this code; {@code classes} when not run from a jar. */
    private static String codeIdentity() {
        try {
            var source = RuleTable.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null && "file".equals(source.getLocation().getProtocol())) {
                Path jar = Path.of(source.getLocation().toURI());
                if (Files.isRegularFile(jar)) {
                    return Files.size(jar) + ":" + Files.getLastModifiedTime(jar).toMillis();
                }
            }
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            // unknown: the spec and the lists still decide
        }
        return "classes";
    }

}
