package io.splitroute.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One IP list ({@code ip-lists: NAME: {...}}, format {@code cidr}: one IPv4 or IPv6 network a line), such as
 * chnroutes; {@code unlisted.domestic-ips}, {@code unlisted.poison-ips} and {@code routes[].exclude-ips} name
 * them. Downloaded, checked and replaced like a domain list.
 *
 * @param name      the list's name
 * @param file      where the list is read from ({@code bundled:chnroute}: the snapshot in the jar)
 * @param url       where the updater downloads it from, or {@code null}
 * @param refresh   how often the running server downloads it itself, or {@code null}
 * @param minRules  a download with fewer networks is rejected ({@code min-rules})
 * @param maxShrink a download with fewer networks than this fraction of the current copy's is rejected
 * @param maxBytes  a download larger than this is rejected ({@code max-bytes})
 * @param line      the line of the list in the config file
 */
public record IpListConfig(String name, Path file, String url, Duration refresh, int minRules, double maxShrink,
                           long maxBytes, int line) {
    /** The only format an IP list has. */
    public static final String FORMAT = "cidr";

    /** Checks the values; messages carry them. */
    public IpListConfig {
        if (refresh != null && url == null) {
            throw new IllegalArgumentException("refresh needs a url: to download from");
        }
        if (maxShrink < 0 || maxShrink > 1) {
            throw new IllegalArgumentException("max-shrink " + maxShrink + " is not between 0 and 1");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("max-bytes " + maxBytes + " is not positive");
        }
    }
}
