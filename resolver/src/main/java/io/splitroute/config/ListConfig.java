package io.splitroute.config;

import io.splitroute.lists.update.ListSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * One domain list ({@code lists: NAME: {...}}).
 *
 * @param name      the list's name, used in routes
 * @param file      where the list is read from
 * @param url       where the updater downloads it from, or {@code null}
 * @param format    {@code gfwlist}, {@code dnsmasq}, {@code domains}, {@code v2fly}, or {@code null} to detect
 * @param refresh   how often the running server downloads it itself, or {@code null} (cron does it)
 * @param minRules  a download with fewer rules is rejected
 * @param maxShrink a download smaller than this fraction of the current copy's rules is rejected
 * @param maxBytes  a download larger than this is rejected ({@code max-bytes}); it is streamed to a file, but
 *                  checking it parses it on the server's heap
 * @param line      the line of the list in the config file
 */
public record ListConfig(String name, Path file, String url, String format, Duration refresh,
                         int minRules, double maxShrink, long maxBytes, int line) {
    /** Default {@code min-rules}: a list this short is almost surely a broken download. */
    public static final int DEFAULT_MIN_RULES = 10;
    /** Default {@code max-shrink}: a download under half the current rule count is rejected. */
    public static final double DEFAULT_MAX_SHRINK = 0.5;
    /** Default {@code max-bytes}: the updater's, sized for the shipped heap. */
    public static final long DEFAULT_MAX_BYTES = ListSource.DEFAULT_MAX_BYTES;
    /** The largest {@code max-bytes} accepted: a list this size would not parse at any heap a router gives. */
    public static final long MAX_MAX_BYTES = 1L << 30;
    /** Why {@code format: cidr} is refused under {@code lists:}. */
    public static final String CIDR_UNDER_LISTS =
            "cidr is the format of IP lists: name this list under ip-lists: (domestic-ips, exclude-ips refer to those)";
    /** The formats a list may name. */
    public static final Set<String> FORMATS = Set.of("gfwlist", "dnsmasq", "domains", "v2fly");

    /** Checks the values; messages carry them. */
    public ListConfig {
        if ("cidr".equals(format)) {
            throw new IllegalArgumentException(CIDR_UNDER_LISTS);
        }
        if (format != null && !FORMATS.contains(format)) {
            throw new IllegalArgumentException("'" + format + "' is not one of gfwlist, dnsmasq, domains, v2fly");
        }
        if (refresh != null && url == null) {
            throw new IllegalArgumentException("refresh needs a url: to download from");
        }
        if (maxBytes <= 0 || maxBytes > MAX_MAX_BYTES) {
            throw new IllegalArgumentException("max-bytes " + maxBytes + " is not between 1 and " + MAX_MAX_BYTES);
        }
        if (maxShrink < 0 || maxShrink > 1) {
            throw new IllegalArgumentException("max-shrink " + maxShrink + " is not between 0 and 1");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("max-bytes " + maxBytes + " is not positive");
        }
    }

    /** A list with the default {@code max-bytes} ({@link ListSource#DEFAULT_MAX_BYTES}). */
    public ListConfig(String name, Path file, String url, String format, Duration refresh, int minRules,
                      double maxShrink, int line) {
        this(name, file, url, format, refresh, minRules, maxShrink, ListSource.DEFAULT_MAX_BYTES, line);
    }
}
