package io.splitroute.lists.compiled;

import io.splitroute.lists.BundledLists;
import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.rule.RuleTable;
import io.splitroute.lists.rule.RuleTableFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Gives the rule table of a {@link RuleTableSpec}: mapped from its compiled file when that file is current,
 * else read from the lists, compiled, written to the file for the next time, and mapped from there.
 *
 * <p>A file is current when it is intact ({@link RuleTableFile#open} checks its header and checksums), was
 * compiled from an equal spec, every list file it was compiled from (v2fly includes too) has the same size
 * and content (CRC32) now, and the same splitroute jar and JDK compiled it. Anything else is reported in
 * {@link Loaded#note()} and rebuilt; a stale or corrupt file is never used. A file that cannot be written
 * (read-only directory) costs only the next start's compile: the table is then kept on the heap.
 */
public final class CompiledRuleTables {
    /** A suggested file name for the compiled table, in the directory of the lists. */
    public static final String FILE_NAME = "splitroute-rules.bin";

    private CompiledRuleTables() {
    }

    /**
     * Returns where a spec's compiled table goes by default: {@link #FILE_NAME} in the directory of its first
     * list file (the lists' directory, which {@code lists update} writes to anyway).
     *
     * @param spec the spec
     * @return the file, or empty if the spec reads no list file (only bundled lists or inline rules)
     */
    public static Optional<Path> besideTheLists(RuleTableSpec spec) {
        return spec.lists().stream().map(RuleTableSpec.ListFile::file).filter(f -> !BundledLists.isBundled(f))
                .findFirst().map(f -> f.toAbsolutePath().resolveSibling(FILE_NAME));
    }

    /**
     * A table and its lists.
     *
     * @param table    the table
     * @param lists    each list that was read, as a load summary without rules ({@link ParsedList#summary()},
     *                 {@link ParsedList#report()}), by name, in spec order
     * @param failures each list that could not be read (its routes go on without it): the reason, by name
     * @param mapped   true if the table is read from the mapped file (no rules on the heap)
     * @param note     what happened, for the log: e.g. {@code mapped /var/lib/splitroute/splitroute-rules.bin}, or
     *                 why the file was rebuilt or could not be written
     */
    public record Loaded(RuleTable table, Map<String, ParsedList> lists, Map<String, String> failures, boolean mapped,
                         String note) {
    }

    /**
     * Reads the lists and compiles the table on the heap, without any file.
     *
     * @param spec what to compile
     * @return the table and its lists
     * @throws IllegalArgumentException if a rule cannot be compiled (a REGEXP that does not compile)
     */
    public static Loaded compile(RuleTableSpec spec) {
        Compiled c = compileLists(spec);
        return new Loaded(c.table, c.summaries.lists(), c.summaries.failures(), false, "compiled " + c.table.size() + " rules");
    }

    /**
     * Maps the table of {@code spec} from {@code file} when the file is current; else compiles it, writes
     * {@code file} (atomically) and maps that.
     *
     * @param spec what the table is compiled from
     * @param file the compiled table's file
     * @return the table and its lists
     * @throws IllegalArgumentException if a rule cannot be compiled (a REGEXP that does not compile)
     */
    public static Loaded load(RuleTableSpec spec, Path file) {
        Objects.requireNonNull(file, "file");
        String environment = Fingerprints.environment();
        String recipe = spec.recipe();
        String why;
        try {
            RuleTableFile.Opened opened = RuleTableFile.open(file);
            why = TableKey.parse(opened.key()).staleness(environment, recipe);
            if (why == null) {
                ListSummaries s = ListSummaries.of(opened.extra());
                return new Loaded(opened.table(), s.lists(), s.failures(), true, "mapped " + file);
            }
        } catch (NoSuchFileException e) {
            why = "not there yet";
        } catch (RuleTableFile.InvalidFileException e) {
            why = e.getMessage();
        } catch (IOException e) {
            why = "cannot read it: " + e.getMessage();
        }
        Map<String, String> before = mainFingerprints(spec);
        Compiled c = compileLists(spec);
        Map<String, String> fingerprints = new LinkedHashMap<>(mainFingerprints(spec));
        String rebuilt = "compiled " + c.table.size() + " rules (" + file + ": " + why + ")";
        if (!fingerprints.equals(before)) {
            return heap(c, rebuilt + "; not written: a list changed while it was read");
        }
        c.summaries.lists().values().forEach(l -> l.includes().forEach(f -> fingerprints.put(f, Fingerprints.ofQuietly(Path.of(f)))));
        String key = new TableKey(environment, recipe, fingerprints).text();
        try {
            RuleTableFile.write(file, c.table, key, c.summaries.toBytes());
            RuleTableFile.Opened opened = RuleTableFile.open(file);
            return new Loaded(opened.table(), c.summaries.lists(), c.summaries.failures(), true,
                    rebuilt + "; wrote and mapped " + file);
        } catch (IOException e) {
            return heap(c, rebuilt + "; cannot write it, the table stays on the heap: " + e.getMessage());
        }
    }

    private static Loaded heap(Compiled c, String note) {
        return new Loaded(c.table, c.summaries.lists(), c.summaries.failures(), false, note);
    }

    private static Map<String, String> mainFingerprints(RuleTableSpec spec) {
        Map<String, String> fingerprints = new LinkedHashMap<>();
        for (RuleTableSpec.ListFile f : spec.lists()) {
            fingerprints.put(f.file().toString(), Fingerprints.ofQuietly(f.file()));
        }
        return fingerprints;
    }

    /** A table compiled from freshly read lists. */
    private record Compiled(RuleTable table, ListSummaries summaries) {
    }

    private static Compiled compileLists(RuleTableSpec spec) {
        Map<String, ParsedList> parsed = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (RuleTableSpec.ListFile f : spec.lists()) {
            try {
                parsed.put(f.name(), BundledLists.readList(f.name(), f.file(), f.format()));
            } catch (NoSuchFileException e) {
                failures.put(f.name(), f.file() + " does not exist");
            } catch (IOException | RuntimeException e) {
                failures.put(f.name(), "cannot read " + f.file() + ": " + e.getMessage());
            }
        }
        RuleTable.Builder b = RuleTable.builder();
        for (RuleTableSpec.Step step : spec.steps()) {
            switch (step) {
                case RuleTableSpec.DeclareRoute r -> b.route(r.route());
                case RuleTableSpec.AddRule a -> b.add(a.route(), a.rule());
                case RuleTableSpec.AddList l -> {
                    ParsedList list = parsed.get(l.list());
                    if (list != null) {
                        b.addAll(l.route(), list.packedRules());
                    }
                }
            }
        }
        RuleTable table = b.build();
        Map<String, ParsedList> summaries = new LinkedHashMap<>();
        parsed.forEach((name, list) -> summaries.put(name, list.withoutRules()));
        return new Compiled(table, new ListSummaries(summaries, failures));
    }

}
