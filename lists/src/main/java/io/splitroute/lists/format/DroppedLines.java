package io.splitroute.lists.format;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a reader dropped from one list, summarised for a report: how many, how many of each reason, and
 * the first few problems as {@code source:line: reason}.
 *
 * @param count    how many lines (or values of a multi-value line) were dropped
 * @param byReason counts by {@link ParseProblem#category()}, most frequent first
 * @param first    the first {@link #SHOWN} problems, in source order
 */
public record DroppedLines(int count, Map<String, Integer> byReason, List<ParseProblem> first) {
    /** How many problems a summary keeps and a report shows. */
    public static final int SHOWN = 5;

    private static final DroppedLines NONE = new DroppedLines(0, Map.of(), List.of());

    /** Copies the collections and checks the count. */
    public DroppedLines {
        if (count < first.size()) {
            throw new IllegalArgumentException("count " + count + " is below the " + first.size() + " problems shown");
        }
        byReason = Collections.unmodifiableMap(new LinkedHashMap<>(byReason));
        first = List.copyOf(first);
    }

    /** Returns the summary of a list without problems. */
    public static DroppedLines none() {
        return NONE;
    }

    /**
     * Summarises problems.
     *
     * @param problems every problem of a list, in source order
     * @return the summary
     */
    public static DroppedLines of(List<ParseProblem> problems) {
        if (problems.isEmpty()) {
            return NONE;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ParseProblem p : problems) {
            counts.merge(p.category(), 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed()); // stable: ties keep first-seen order
        Map<String, Integer> byReason = new LinkedHashMap<>();
        sorted.forEach(e -> byReason.put(e.getKey(), e.getValue()));
        return new DroppedLines(problems.size(), byReason, problems.subList(0, Math.min(SHOWN, problems.size())));
    }

    /** Returns e.g. {@code 3 dropped (2 unknown top-level domain, 1 invalid name)}, or {@code 0 dropped}. */
    public String describe() {
        StringJoiner reasons = new StringJoiner(", ", " (", ")");
        reasons.setEmptyValue("");
        byReason.forEach((reason, n) -> reasons.add(n + " " + reason));
        return count + " dropped" + reasons;
    }

    /**
     * Returns the first problems, one {@code source:line: reason} each, followed by {@code ... and N more}
     * when there are more than {@link #SHOWN}; empty when nothing was dropped.
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>(first.size() + 1);
        first.forEach(p -> lines.add(p.toString()));
        if (count > first.size()) {
            lines.add("... and " + (count - first.size()) + " more");
        }
        return lines;
    }
}
