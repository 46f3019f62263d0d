package io.splitroute.lists.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Brings lists, domain lists and IP lists alike, up to date from their URLs; a download replaces the file
 * in service only when it is plausible, so a bad download never replaces the last good list.
 *
 * <p>Per list: a conditional GET with the validators from {@code FILE.meta}, streamed into a temporary file
 * beside the list and capped at {@code max-bytes}; a 304 or the same bytes is {@link UpdateResult.Unchanged}.
 * A new copy must be text, parse in the list's format, have at least {@code min-rules} rules (networks, for
 * an IP list), have no more bad lines than rules, and have at least {@code max-shrink} times the rules of
 * the current copy; otherwise it is {@link UpdateResult.Rejected}, as is a download over {@code max-bytes}.
 * A good copy is renamed over the list ({@link ListFiles}), the old one kept as {@code FILE.prev}. No list is
 * ever held in memory as a whole: both copies are parsed streamed from disk.
 */
public final class ListUpdater {
    private final ListDownloader downloader;

    /** An updater with the default download bounds. */
    public ListUpdater() {
        this(new ListDownloader());
    }

    /** @param downloader how lists are fetched */
    public ListUpdater(ListDownloader downloader) {
        this.downloader = downloader;
    }

    /** Updates every list in order; one result per list. */
    public List<UpdateResult> updateAll(List<ListSource> sources, DownloadProgress progress) {
        List<UpdateResult> results = new ArrayList<>(sources.size());
        for (ListSource source : sources) {
            results.add(update(source, progress));
        }
        return results;
    }

    /**
     * Updates one list.
     *
     * @param source   the list
     * @param progress told how far the download has got
     * @return how it ended; only {@link UpdateResult.Updated} changed the file
     */
    public UpdateResult update(ListSource source, DownloadProgress progress) {
        String name = source.name();
        if (source.file().toString().startsWith("bundled:")) {
            return new UpdateResult.Failed(name, "file: " + source.file() + " is inside the jar; give a file path to download into");
        }
        boolean exists = Files.exists(source.file());
        if (exists && !Files.isReadable(source.file())) {
            return new UpdateResult.Failed(name, "cannot read " + source.file());
        }
        CacheValidators known;
        try {
            known = exists ? CacheValidators.read(source.file()) : null;
        } catch (IOException | IllegalArgumentException e) {
            known = null; // an unreadable sidecar only costs an unconditional download
        }
        ListDownloader.Response response;
        try {
            response = downloader.download(source, known, progress);
        } catch (ListDownloader.TooLargeException e) {
            return new UpdateResult.Rejected(name, e.getMessage());
        } catch (DownloadException e) {
            return new UpdateResult.Failed(name, e.getMessage());
        }
        return switch (response) {
            case ListDownloader.NotModified ignored -> confirmed(source, "304");
            case ListDownloader.Body body -> {
                try {
                    yield accept(source, exists, body);
                } finally {
                    ListDownloader.deleteQuietly(body.file()); // gone already when it replaced the list
                }
            }
        };
    }

    private UpdateResult accept(ListSource source, boolean exists, ListDownloader.Body body) {
        String name = source.name();
        Path file = source.file();
        try {
            if (exists && Files.mismatch(file, body.file()) == -1) {
                writeValidators(source, body.validators());
                return confirmed(source, "same content");
            }
        } catch (IOException e) {
            return new UpdateResult.Failed(name, "cannot read " + file + ": " + e.getMessage());
        }
        ListCopy next;
        try {
            next = ListCopy.read(source, body.file(), source.url().toString());
        } catch (ListCopy.Unusable e) {
            return new UpdateResult.Rejected(name, e.getMessage());
        } catch (IOException e) {
            return new UpdateResult.Failed(name, "cannot read the download in " + body.file() + ": " + e.getMessage());
        }
        int rules = next.rules();
        if (rules < source.minRules()) {
            return new UpdateResult.Rejected(name, rules + " " + next.unit() + ", fewer than min-rules " + source.minRules());
        }
        if (next.dropped().count() > rules) {
            return new UpdateResult.Rejected(name, "not a " + next.format() + " list: " + next.dropped().count()
                    + " bad lines and " + rules + " " + next.unit() + " (first: " + next.dropped().first().getFirst() + ")");
        }
        ListCopy before = exists ? current(source) : null;
        if (before != null && before.rules() > 0 && rules < source.maxShrink() * before.rules()) {
            return new UpdateResult.Rejected(name, rules + " " + next.unit() + " is " + percent(rules, before.rules())
                    + " of the current " + before.rules());
        }
        try {
            ListFiles.replaceKeepingPrevious(file, body.file());
        } catch (IOException e) {
            return new UpdateResult.Failed(name, "cannot write " + file + ": " + e);
        }
        writeValidators(source, body.validators());
        int added = before == null ? rules : next.notIn(before);
        int removed = before == null ? 0 : before.notIn(next);
        return new UpdateResult.Updated(name, rules, added, removed, next.dropped(), next.unit());
    }

    /** The copy in service, read as the server reads it; unreadable counts as empty (anything replaces it). */
    private static ListCopy current(ListSource source) {
        try {
            return ListCopy.read(source, source.file(), source.file().toString());
        } catch (ListCopy.Unusable | IOException | RuntimeException e) {
            return null;
        }
    }

    private static String percent(int part, int whole) {
        double p = 100.0 * part / whole;
        return String.format(Locale.ROOT, p < 10 ? "%.1f%%" : "%.0f%%", p);
    }

    /** Validators only speed up the next run: failing to store them is not a failed update. */
    /**
     * The copy in service was found current: its modification time becomes now, so that the file's age says
     * when the list was last known to be current (doctor and {@code lists.updated.time} read it), not when it
     * last changed.
     */
    private static UpdateResult confirmed(ListSource source, String why) {
        try {
            Files.setLastModifiedTime(source.file(), FileTime.from(Instant.now()));
        } catch (IOException e) {
            // Only the age shown for the list is older than it should be.
        }
        return new UpdateResult.Unchanged(source.name(), why);
    }

    private static void writeValidators(ListSource source, CacheValidators validators) {
        try {
            if (validators.any()) {
                ListFiles.replace(CacheValidators.sidecar(source.file()), validators.toBytes());
            } else {
                Files.deleteIfExists(CacheValidators.sidecar(source.file()));
            }
        } catch (IOException e) {
            // The next download is unconditional; the list itself is in place.
        }
    }
}
