package io.splitroute.lists.update;

import io.splitroute.lists.format.ListFormatKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One list the updater keeps fresh, domain list or IP list ({@code format: cidr}): where it is downloaded
 * from, where it is stored, and how a download is judged.
 *
 * @param name      the list's name, printed in front of every result line
 * @param file      where the list in service is stored; the download replaces it
 * @param url       where it is downloaded from ({@code http} or {@code https})
 * @param format    the list's format, or {@code null} to detect a domain-list format from the content;
 *                  {@link ListFormatKind#CIDR} for an IP list
 * @param refresh   how often a running server downloads it itself, or {@code null} (only on demand)
 * @param minRules  a download with fewer rules (networks, for an IP list) is rejected
 * @param maxShrink a download with fewer rules than this fraction of the current copy's is rejected
 * @param maxBytes  a download larger than this (after decompression) is rejected; config key {@code max-bytes}
 */
public record ListSource(String name, Path file, URI url, ListFormatKind format, Duration refresh, int minRules,
                         double maxShrink, long maxBytes) {
    /**
     * The default {@code max-bytes}: 8 MiB, twice the largest list in use (the china list, 4 MB, 110 000
     * rules). A download goes to a file, never to memory, but validating it parses it: an 8 MiB dnsmasq
     * list (174 000 rules) parses at {@code -Xmx24m} and not at {@code -Xmx20m}, the china list at
     * {@code -Xmx12m}, which a server at {@code -Xmx72m} can spare next to its rule table and cache; a
     * 16 MiB list needs more than 32 MB.
     */
    public static final long DEFAULT_MAX_BYTES = 8L << 20;

    /** Checks the components. */
    public ListSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(name + ": url " + url + " is not http:// or https://");
        }
        if (refresh != null && (refresh.isNegative() || refresh.isZero())) {
            throw new IllegalArgumentException(name + ": refresh " + refresh + " is not positive");
        }
        if (minRules < 0) {
            throw new IllegalArgumentException(name + ": min-rules " + minRules + " is negative");
        }
        if (!(maxShrink >= 0 && maxShrink <= 1)) {
            throw new IllegalArgumentException(name + ": max-shrink " + maxShrink + " is not between 0 and 1");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException(name + ": max-bytes " + maxBytes + " is not positive");
        }
    }

    /**
     * A source with the default {@code max-bytes} ({@link #DEFAULT_MAX_BYTES}).
     *
     * @param name      the list's name
     * @param file      where the list in service is stored
     * @param url       where it is downloaded from
     * @param format    the format, or {@code null} to detect a domain-list format
     * @param refresh   how often a running server downloads it, or {@code null}
     * @param minRules  the fewest rules a download may have
     * @param maxShrink the smallest fraction of the current copy's rules a download may have
     */
    public ListSource(String name, Path file, URI url, ListFormatKind format, Duration refresh, int minRules,
                      double maxShrink) {
        this(name, file, url, format, refresh, minRules, maxShrink, DEFAULT_MAX_BYTES);
    }

    /** Returns true for an IP list ({@code format: cidr}). */
    public boolean ipList() {
        return format != null && format.ipList();
    }
}
