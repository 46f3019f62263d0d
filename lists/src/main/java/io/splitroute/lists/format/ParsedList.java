package io.splitroute.lists.format;

import io.splitroute.lists.rule.PackedRules;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The result of reading one list: its rules, the problems found, and counts for the load summary.
 *
 * <p>Immutable. Rules keep the order of the source; for v2fly lists, included rules appear where their
 * {@code include:} line was. They are held in compact form ({@link PackedRules}, about 3 MB for the china
 * list where rule objects would take 20 MB); {@link #rules()} rebuilds each rule when it is read.
 */
public final class ParsedList {
    private final String name;
    private final String source;
    private final ListFormatKind format;
    private final PackedRules rules;
    private final List<ParseProblem> problems;
    private final Map<String, Integer> skipped;
    private final DroppedLines dropped;
    private final List<String> includes;
    /** Rule counts kept by {@link #withoutRules()}; null while the rules themselves are held. */
    private final Map<RuleKind, Integer> keptCounts;
    private final int keptRules;
    private final int keptExceptions;

    private ParsedList(String name, String source, ListFormatKind format, PackedRules rules,
                       List<ParseProblem> problems, Map<String, Integer> skipped, List<String> includes) {
        this.name = name;
        this.source = source;
        this.format = format;
        this.rules = rules;
        this.problems = Collections.unmodifiableList(problems);
        this.skipped = Collections.unmodifiableMap(skipped);
        this.dropped = DroppedLines.of(problems);
        this.includes = List.copyOf(includes);
        this.keptCounts = null;
        this.keptRules = 0;
        this.keptExceptions = 0;
    }

    private ParsedList(ParsedList full) {
        this(full.name, full.source, full.format, full.problems, full.skipped, full.dropped, full.includes,
                full.ruleCounts(), full.ruleCount(), full.exceptionCount());
    }

    private ParsedList(String name, String source, ListFormatKind format, List<ParseProblem> problems,
                       Map<String, Integer> skipped, DroppedLines dropped, List<String> includes,
                       Map<RuleKind, Integer> counts, int rules, int exceptions) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        this.format = format;
        this.rules = PackedRules.empty();
        this.problems = List.copyOf(problems);
        this.skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
        this.dropped = Objects.requireNonNull(dropped, "dropped");
        this.includes = List.copyOf(includes);
        Map<RuleKind, Integer> kinds = new EnumMap<>(RuleKind.class);
        kinds.putAll(counts);
        this.keptCounts = Collections.unmodifiableMap(kinds);
        this.keptRules = rules;
        this.keptExceptions = exceptions;
    }

    /**
     * Recreates the summary of a list without its rules, as {@link #withoutRules()} would have returned it,
     * from figures stored elsewhere (a compiled rule table). {@link #problems()} then holds only the
     * problems {@code dropped} kept ({@link DroppedLines#first()}).
     *
     * @param name       the list name
     * @param source     where it was read
     * @param format     the format it was read as
     * @param counts     non-exception rules by kind
     * @param exceptions exception rules
     * @param skipped    lines deliberately skipped, by category
     * @param dropped    the dropped lines' summary
     * @param includes   other files read for it (v2fly includes)
     * @return the summary-only list
     */
    public static ParsedList summaryOf(String name, String source, ListFormatKind format, Map<RuleKind, Integer> counts,
                                       int exceptions, Map<String, Integer> skipped, DroppedLines dropped,
                                       List<String> includes) {
        int rules = exceptions;
        for (int n : counts.values()) {
            rules += n;
        }
        return new ParsedList(name, source, format, dropped.first(), skipped, dropped, includes, counts, rules, exceptions);
    }

    /**
     * Returns this list without its rules, to keep after they were compiled into a rule table: name,
     * source, format, problems, skips, {@link #ruleCount()}, {@link #ruleCounts()}, {@link #exceptionCount()}
     * and {@link #summary()} stay as they are; {@link #rules()} is empty. The rules are compiled into the
     * rule table, which a running server should not keep twice.
     *
     * @return the copy without rules (this list itself if it has none)
     */
    public ParsedList withoutRules() {
        return keptCounts != null || rules.size() == 0 ? this : new ParsedList(this);
    }

    /** Returns how many rules were loaded (exceptions included); also after {@link #withoutRules()}. */
    public int ruleCount() {
        return keptCounts != null ? keptRules : rules.size();
    }

    /** Returns the list name (from the config). */
    public String name() {
        return name;
    }

    /** Returns the file path, URL or resource the list was read from. */
    public String source() {
        return source;
    }

    /** Returns the format the list was read as. */
    public ListFormatKind format() {
        return format;
    }

    /**
     * Returns the rules, in source order; empty on a copy made by {@link #withoutRules()}. The list rebuilds
     * each {@link Rule} when it is read; a {@link io.splitroute.lists.rule.RuleTable.Builder} copies it in
     * compact form.
     */
    public List<Rule> rules() {
        return rules.asList();
    }

    /** Returns the rules in compact form (empty on a copy made by {@link #withoutRules()}). */
    public PackedRules packedRules() {
        return rules;
    }

    /**
     * Returns the problems: lines that were dropped because they are wrong, each {@code source:line: reason}
     * (on a summary from {@link #summaryOf}, only the first {@link DroppedLines#SHOWN}).
     */
    public List<ParseProblem> problems() {
        return problems;
    }

    /** Returns the dropped lines summarised: count, counts by reason, the first few problems. */
    public DroppedLines dropped() {
        return dropped;
    }

    /** Returns the other files read for this list (v2fly includes, also those not found), in reading order. */
    public List<String> includes() {
        return includes;
    }

    /**
     * Returns lines deliberately skipped by category, e.g. {@code regex -> 1}, {@code ip -> 1}: valid in
     * their format but not expressible as a domain rule. Problems are not counted here.
     */
    public Map<String, Integer> skipped() {
        return skipped;
    }

    /** Returns how many non-exception rules of each kind were loaded (kinds with none are absent). */
    public Map<RuleKind, Integer> ruleCounts() {
        if (keptCounts != null) {
            return keptCounts;
        }
        Map<RuleKind, Integer> counts = new EnumMap<>(RuleKind.class);
        for (int id = 0; id < rules.size(); id++) {
            if (!rules.exception(id)) {
                counts.merge(rules.kind(id), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Returns how many exception rules were loaded. */
    public int exceptionCount() {
        if (keptCounts != null) {
            return keptExceptions;
        }
        int n = 0;
        for (int id = 0; id < rules.size(); id++) {
            if (rules.exception(id)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Returns the load summary line, e.g. {@code gfwlist: 4321 rules (4290 suffix, 31 exception), 1 regex
     * skipped, 2 dropped (1 unknown top-level domain, 1 invalid name)}; {@link #report()} adds which lines.
     */
    public String summary() {
        StringJoiner kinds = new StringJoiner(", ", " (", ")");
        kinds.setEmptyValue("");
        ruleCounts().forEach((kind, n) -> kinds.add(n + " " + kind.name().toLowerCase(java.util.Locale.ROOT)));
        int exceptions = exceptionCount();
        if (exceptions > 0) {
            kinds.add(exceptions + " exception");
        }
        StringBuilder sb = new StringBuilder(name).append(": ").append(ruleCount()).append(" rules").append(kinds);
        skipped.forEach((what, n) -> sb.append(", ").append(n).append(' ').append(what).append(" skipped"));
        sb.append(", ").append(dropped.describe());
        return sb.toString();
    }

    /**
     * Returns what to print about this list wherever it is read ({@code run}, {@code check},
     * {@code lists update}): the {@link #summary()}, then the first dropped lines as {@code source:line:
     * reason} and {@code ... and N more} (see {@link DroppedLines#lines()}).
     *
     * @return the lines, the summary first
     */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        lines.add(summary());
        lines.addAll(dropped.lines());
        return lines;
    }

    @Override
    public String toString() {
        return summary();
    }

    /** Collects rules, problems and skip counts while a reader walks a source. */
    static final class Collector {
        final String name;
        final String source;
        /** What origins and problems name as the source: {@link #source}, or e.g. {@code FILE (decoded)}. */
        final String lineSource;
        final ListFormatKind format;
        /** The rules in compact form; drops a rule the list already has (same kind, value, exception flag). */
        private final PackedRules.Builder rules;
        final List<ParseProblem> problems = new ArrayList<>();
        final Map<String, Integer> skipped = new LinkedHashMap<>();
        private final List<String> includes = new ArrayList<>();

        Collector(String name, String source, ListFormatKind format) {
            this(name, source, format, 16);
        }

        Collector(String name, String source, ListFormatKind format, String lineSource) {
            this(name, source, format, 16, lineSource);
        }

        Collector(String name, String source, ListFormatKind format, int expectedRules) {
            this(name, source, format, expectedRules, source);
        }

        private Collector(String name, String source, ListFormatKind format, int expectedRules, String lineSource) {
            this.name = Objects.requireNonNull(name, "list name");
            this.source = Objects.requireNonNull(source, "source");
            this.lineSource = Objects.requireNonNull(lineSource, "lineSource");
            this.format = format;
            this.rules = PackedRules.deduplicatingBuilder(expectedRules);
        }

        /** Adds a rule, unless the list already has the same one (then it is counted as a skipped duplicate). */
        void rule(Rule rule) {
            var o = rule.origin();
            rule(rule.kind(), rule.value(), rule.exception(), o.source(), o.line(), o.text());
        }

        /**
         * Adds a rule of this list read from {@code source} without creating a {@link Rule}; the value must
         * already be normalised as a {@link Rule} would make it.
         */
        void rule(RuleKind kind, String value, boolean exception, String source, int line, String text) {
            if (!rules.addIfAbsent(kind, value, exception, name, source, line, text)) {
                skip("duplicate");
            }
        }

        void problem(int line, String category, String reason) {
            problems.add(new ParseProblem(lineSource, line, reason, category));
        }

        void problem(String otherSource, int line, String category, String reason) {
            problems.add(new ParseProblem(otherSource, line, reason, category));
        }

        /** Notes another file read (or looked for) for this list. */
        void include(String file) {
            includes.add(file);
        }

        void skip(String category) {
            skipped.merge(category, 1, Integer::sum);
        }

        ParsedList build() {
            return new ParsedList(name, source, format, rules.build(), problems, skipped, includes);
        }
    }
}
