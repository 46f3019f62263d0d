package io.splitroute.config;

import java.nio.file.Path;

/**
 * The query log: {@code query-log: { enabled: false, file: /var/log/splitroute/queries.jsonl }}, or
 * {@code query-log: on} (to stderr).
 *
 * @param enabled whether it logs from the start (it can be switched at run time)
 * @param file    where the JSON lines go, or {@code null} for stderr
 */
public record QueryLogConfig(boolean enabled, Path file) {
    /** The default: off, to stderr when switched on. */
    public static final QueryLogConfig DEFAULT = new QueryLogConfig(false, null);
}
