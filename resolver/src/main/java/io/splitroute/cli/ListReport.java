package io.splitroute.cli;

import io.splitroute.lists.format.ParsedList;
import java.io.PrintStream;
import java.util.List;

/** What a command prints about a list it read, where it is otherwise quiet about lists. */
final class ListReport {
    private ListReport() {}

    /** Prints the {@link ParsedList#report()} of {@code list}: {@code list SUMMARY}, then each dropped line indented. */
    static void print(ParsedList list, PrintStream out) {
        List<String> lines = list.report();
        out.println("list " + lines.getFirst());
        lines.subList(1, lines.size()).forEach(line -> out.println("  " + line));
    }

    /** Returns whether a list deserves a report: lines were dropped, or it has no rule. */
    static boolean worthReporting(ParsedList list) {
        return list.dropped().count() > 0 || list.ruleCount() == 0;
    }
}
