package io.splitroute.config;

import java.nio.file.Path;

/**
 * The query log: {@code query-log: { enabled: false, file: /var/log/splitroute/queries.jsonl, max-size: 10MiB,
 * keep: 5 }}, or {@code query-log: on} (to stderr).
 *
 * @param enabled whether it logs from the start (it can be switched at run time)
 * @param file    where the JSON lines go, or {@code null} for stderr
 * @param maxSize a file reaching this many bytes is rotated: renamed {@code FILE.1} (older copies shifted up
 *                to {@code FILE.keep}), and a new one started; at least {@link #MIN_SIZE}
 * @param keep    rotated copies kept, 0 to {@link #MAX_KEEP} (0: the full file is deleted)
 */
public record QueryLogConfig(boolean enabled, Path file, long maxSize, int keep) {
    /** The default size cap: 10 MiB. */
    public static final long DEFAULT_MAX_SIZE = 10L << 20;
    /** The default number of rotated files kept. */
    public static final int DEFAULT_KEEP = 5;
    /** The smallest size cap: 4 KiB. */
    public static final long MIN_SIZE = 4096;
    /** The most rotated files that may be kept. */
    public static final int MAX_KEEP = 100;
    /** The default: off, to stderr when switched on. */
    public static final QueryLogConfig DEFAULT = new QueryLogConfig(false, null, DEFAULT_MAX_SIZE, DEFAULT_KEEP);

    /** Checks the values. */
    public QueryLogConfig {
        if (maxSize < MIN_SIZE) {
            throw new IllegalArgumentException("max-size " + maxSize + " is under " + MIN_SIZE + " bytes");
        }
        if (keep < 0 || keep > MAX_KEEP) {
            throw new IllegalArgumentException("keep " + keep + " is not between 0 and " + MAX_KEEP);
        }
    }

    /** {@code query-log: on|off}: to stderr, default limits. */
    public static QueryLogConfig toStderr(boolean enabled) {
        return new QueryLogConfig(enabled, null, DEFAULT_MAX_SIZE, DEFAULT_KEEP);
    }
}
