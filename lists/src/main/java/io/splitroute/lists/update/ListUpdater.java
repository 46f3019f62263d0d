package io.splitroute.lists.update;

import io.splitroute.lists.format.ListLoader;
import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.rule.Rule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Brings lists up to date from their URLs; a download replaces the file in service only when it is
 * plausible, so a bad download never replaces the last good list.
 *
 * <p>Per list: a conditional GET with the validators from {@code FILE.meta}; a 304 or the same bytes is
 * {@link UpdateResult.Unchanged}. A new copy must be text, parse in the list's format, have at least
 * {@code min-rules} rules, have no more bad lines than rules, and have at least {@code max-shrink} times
 * the rules of the current copy; otherwise it is {@link UpdateResult.Rejected}. A good copy is written
 * atomically ({@link ListFiles}), the old one kept as {@code FILE.prev}.
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
        byte[] current;
        try {
            current = Files.readAllBytes(source.file());
        } catch (NoSuchFileException e) {
            current = null;
        } catch (IOException e) {
            return new UpdateResult.Failed(name, "cannot read " + source.file() + ": " + e.getMessage());
        }
        CacheValidators known;
        try {
            known = current == null ? null : CacheValidators.read(source.file());
        } catch (IOException | IllegalArgumentException e) {
            known = null; // an unreadable sidecar only costs an unconditional download
        }
        ListDownloader.Response response;
        try {
            response = downloader.download(source, known, progress);
        } catch (DownloadException e) {
            return new UpdateResult.Failed(name, e.getMessage());
        }
        return switch (response) {
            case ListDownloader.NotModified ignored -> confirmed(source, "304");
            case ListDownloader.Body body -> accept(source, current, body);
        };
    }

    private UpdateResult accept(ListSource source, byte[] current, ListDownloader.Body body) {
        String name = source.name();
        if (current != null && Arrays.equals(current, body.body())) {
            writeValidators(source, body.validators());
            return confirmed(source, "same content");
        }
        ParsedList next;
        try {
            next = parse(source, body.body());
        } catch (Rejection r) {
            return new UpdateResult.Rejected(name, r.getMessage());
        }
        int rules = next.rules().size();
        if (rules < source.minRules()) {
            return new UpdateResult.Rejected(name, rules + " rules, fewer than min-rules " + source.minRules());
        }
        if (next.problems().size() > rules) {
            return new UpdateResult.Rejected(name, "not a " + next.format().configName() + " list: "
                    + next.problems().size() + " bad lines and " + rules + " rules (first: " + next.problems().getFirst() + ")");
        }
        Set<String> before = current == null ? Set.of() : ruleSet(parseCurrent(source, current));
        if (!before.isEmpty() && rules < source.maxShrink() * before.size()) {
            return new UpdateResult.Rejected(name, rules + " rules is " + percent(rules, before.size()) + " of the current "
                    + before.size());
        }
        try {
            ListFiles.replaceKeepingPrevious(source.file(), body.body());
        } catch (IOException e) {
            return new UpdateResult.Failed(name, "cannot write " + source.file() + ": " + e);
        }
        writeValidators(source, body.validators());
        Set<String> after = ruleSet(next);
        return new UpdateResult.Updated(name, rules, difference(after, before), difference(before, after));
    }

    private static ParsedList parse(ListSource source, byte[] bytes) throws Rejection {
        if (bytes.length == 0) {
            throw new Rejection("empty download (0 bytes)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Rejection("not a text list (" + bytes.length + " bytes, not UTF-8)");
        }
        if (text.indexOf('\0') >= 0) {
            throw new Rejection("not a text list (" + bytes.length + " bytes with NUL characters)");
        }
        try {
            return ListLoader.parse(source.name(), source.url().toString(), text, source.format());
        } catch (RuntimeException e) {
            throw new Rejection("does not parse" + (source.format() == null ? "" : " as " + source.format().configName())
                    + ": " + e.getMessage());
        }
    }

    /** The copy in service, parsed as the server reads it; unreadable counts as empty (anything replaces it). */
    private static ParsedList parseCurrent(ListSource source, byte[] current) {
        try {
            return parse(source, current);
        } catch (Rejection | RuntimeException e) {
            return null;
        }
    }

    private static Set<String> ruleSet(ParsedList list) {
        if (list == null) {
            return Set.of();
        }
        Set<String> set = HashSet.newHashSet(list.rules().size());
        for (Rule rule : list.rules()) {
            set.add(rule.describe());
        }
        return set;
    }

    private static int difference(Set<String> a, Set<String> b) {
        int n = 0;
        for (String s : a) {
            if (!b.contains(s)) {
                n++;
            }
        }
        return n;
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

    /** Why a download was not accepted (internal control flow, carries the printed reason). */
    private static final class Rejection extends Exception {
        Rejection(String reason) {
            super(reason, null, false, false);
        }
    }
}
