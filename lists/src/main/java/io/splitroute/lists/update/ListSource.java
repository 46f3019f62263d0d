package io.splitroute.lists.update;

import io.splitroute.lists.format.ListFormatKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One list the updater keeps fresh: where it is downloaded from, where it is stored, and how a download
 * is judged.
 *
 * @param name      the list's name, printed in front of every result line
 * @param file      where the list in service is stored; the download replaces it
 * @param url       where it is downloaded from ({@code http} or {@code https})
 * @param format    the list's format, or {@code null} to detect it from the content
 * @param refresh   how often a running server downloads it itself, or {@code null} (only on demand)
 * @param minRules  a download with fewer rules is rejected
 * @param maxShrink a download with fewer rules than this fraction of the current copy's is rejected
 */
public record ListSource(String name, Path file, URI url, ListFormatKind format, Duration refresh, int minRules,
                         double maxShrink) {
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
    }
}
