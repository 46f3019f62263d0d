package io.splitroute.doctor;

import io.splitroute.config.ListConfig;
import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.update.CacheValidators;
import io.splitroute.routing.RouteLists;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A list: read, with rules, and fresh. A list with a {@code url} is fresh when the last good download (the
 * list file or its {@code FILE.meta}, which every download that found the copy current touches) is younger
 * than twice its refresh interval ({@code refresh:}, or the 6 hours of the list timer), which allows for one
 * missed run.
 */
final class ListCheck {
    /** How often the package's timer (or the cron file) downloads the lists. */
    static final Duration TIMER = Duration.ofHours(6);

    private ListCheck() {}

    /** Checks {@code list} as {@code loaded} read it; {@code now} is the time to measure ages from. */
    static Finding check(ListConfig list, RouteLists loaded, Instant now) {
        String check = "list " + list.name();
        ParsedList parsed = loaded.lists().get(list.name());
        if (parsed == null) {
            String failure = loaded.failures().stream().filter(f -> f.startsWith(list.name() + ":")).findFirst()
                    .map(f -> f.substring(list.name().length() + 1).strip()).orElse("not read");
            return Finding.fail(check, failure, list.url() != null ? "splitroute lists update" : "check file: " + list.file());
        }
        String counts = parsed.ruleCount() + " rules" + (parsed.dropped().count() == 0 ? ""
                : ", " + parsed.dropped().describe() + ", first: " + parsed.dropped().first().getFirst());
        if (parsed.ruleCount() == 0) {
            return Finding.fail(check, counts, "check its format (format: in the config) and content: " + list.file());
        }
        if (list.url() == null || list.file().toString().startsWith("bundled:")) {
            return Finding.ok(check, counts + (list.url() == null ? " (no url: not downloaded)" : ""));
        }
        Duration interval = list.refresh() != null ? list.refresh() : TIMER;
        Instant updated = lastDownload(list.file());
        if (updated == null) {
            return Finding.ok(check, counts);
        }
        Duration age = Duration.between(updated, now);
        String when = "downloaded " + TunnelCheck.ago(age) + " (every " + human(interval) + ")";
        if (age.compareTo(interval.multipliedBy(2)) > 0) {
            return Finding.fail(check, counts + ", stale: " + when, list.refresh() != null
                    ? "see the server's log for the refresh of " + list.name() + "; splitroute lists update"
                    : "systemctl status splitroute-lists.timer; splitroute lists update");
        }
        return Finding.ok(check, counts + ", " + when);
    }

    private static Instant lastDownload(Path file) {
        Instant newest = null;
        for (Path p : new Path[] {file, file.resolveSibling(file.getFileName() + CacheValidators.SUFFIX)}) {
            try {
                Instant t = Files.getLastModifiedTime(p).toInstant();
                newest = newest == null || t.isAfter(newest) ? t : newest;
            } catch (IOException e) {
                // no sidecar (the server gave no validators): the file's own time is all there is
            }
        }
        return newest;
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
    }
}
