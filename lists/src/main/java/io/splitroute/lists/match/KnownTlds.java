package io.splitroute.lists.match;

import java.io.IOException;
import java.net.IDN;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The set of top-level domains known to the running JDK.
 *
 * <p>Every JDK ships the Public Suffix List as {@code $JAVA_HOME/lib/security/public_suffix_list.dat}, a
 * zip archive with one entry per TLD, updated with each JDK release. Reading it keeps this module free of
 * bundled TLD data that would age. If the file is missing, every TLD counts as known.
 */
public final class KnownTlds {
    private static final Set<String> TLDS = load();

    private KnownTlds() {
    }

    /**
     * Tells whether a label is a known TLD.
     *
     * @param tld a lower-case ASCII label, e.g. {@code "com"} or {@code "xn--fiqs8s"}
     * @return true if known, or if no list is available
     */
    public static boolean isKnown(String tld) {
        if (TLDS.isEmpty() || TLDS.contains(tld)) {
            return true;
        }
        // IDN TLDs are kept in Unicode, as the JDK ships them: convert only the rare punycode query
        if (tld.startsWith("xn--")) {
            try {
                return TLDS.contains(IDN.toUnicode(tld, IDN.ALLOW_UNASSIGNED));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    /** Returns how many TLDs are known (0 when the JDK has no suffix list, and then all are accepted). */
    public static int count() {
        return TLDS.size();
    }

    private static Set<String> load() {
        Path file = Path.of(System.getProperty("java.home"), "lib", "security", "public_suffix_list.dat");
        if (!Files.isReadable(file)) {
            return Set.of();
        }
        Set<String> tlds = new HashSet<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                // IDN.toASCII on all ~1 450 entries would cost start-up time; see isKnown
                tlds.add(e.nextElement().getName().toLowerCase(java.util.Locale.ROOT));
            }
        } catch (IOException e) {
            return Set.of();
        }
        tlds.add("arpa");
        return Collections.unmodifiableSet(tlds);
    }
}
