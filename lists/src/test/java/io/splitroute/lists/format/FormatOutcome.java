package io.splitroute.lists.format;

import io.splitroute.lists.rule.Rule;
import java.util.stream.Collectors;

/** Describes what a reader made of one line, for table tests: rules, a skip, a problem, or nothing. */
final class FormatOutcome {
    private FormatOutcome() {
    }

    static String of(ParsedList list) {
        if (!list.problems().isEmpty()) {
            return "problem: " + list.problems().get(0).reason();
        }
        if (!list.rules().isEmpty()) {
            return list.rules().stream().map(Rule::describe).collect(Collectors.joining(" "));
        }
        if (!list.skipped().isEmpty()) {
            return "skipped: " + String.join(",", list.skipped().keySet());
        }
        return "ignored";
    }
}
