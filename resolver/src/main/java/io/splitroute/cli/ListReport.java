package io.splitroute.cli;

import io.splitroute.lists.format.ParseProblem;
import io.splitroute.lists.format.ParsedList;
import java.util.ArrayList;
import java.util.List;

/** What a command prints about a list it read: the summary, then the first dropped lines and why. */
final class ListReport {
    /** How many dropped lines are shown. */
    static final int SHOWN = 5;

    private ListReport() {}

    /**
     * Returns the summary ({@code gfwlist: 4321 rules (...), 2 problems}) and the first {@link #SHOWN}
     * dropped lines as {@code source:line: reason}, then {@code ... and N more}.
     */
    static List<String> lines(ParsedList list) {
        // TODO(lists): ParsedList.report() gives these lines (counts by reason) once the lists module has it.
        List<ParseProblem> problems = list.problems();
        List<String> lines = new ArrayList<>();
        lines.add(list.summary());
        problems.stream().limit(SHOWN).forEach(p -> lines.add(p.toString()));
        if (problems.size() > SHOWN) {
            lines.add("... and " + (problems.size() - SHOWN) + " more");
        }
        return lines;
    }

    /** Prints the {@link #lines} of {@code list}: {@code list SUMMARY}, then each dropped line indented. */
    static void print(ParsedList list, java.io.PrintStream out) {
        List<String> lines = lines(list);
        out.println("list " + lines.getFirst());
        lines.subList(1, lines.size()).forEach(line -> out.println("  " + line));
    }

    /** Returns whether a list deserves a report where commands are otherwise quiet: lines dropped, or no rule. */
    static boolean worthReporting(ParsedList list) {
        return !list.problems().isEmpty() || list.ruleCount() == 0;
    }
}
