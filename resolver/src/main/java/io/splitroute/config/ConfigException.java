package io.splitroute.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config file that cannot be used; carries every problem found, not just the first. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigProblem> problems;

    /** Creates the exception for a non-empty list of problems. */
    public ConfigException(List<ConfigProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** Returns every problem, in file order. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String format(List<ConfigProblem> problems) {
        return problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in config:\n  "
                + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n  "));
    }
}
