package io.splitroute.query;

import io.splitroute.lists.rule.Rule;

/**
 * The routing decision for one query: which route matched (or the default), by which rule, and which
 * upstream group serves it.
 *
 * @param name     the route's name, or {@value #DEFAULT} when no route matched
 * @param rule     the rule that decided, or {@code null} for the default route
 * @param upstream the name of the upstream group that serves the query
 */
public record Route(String name, Rule rule, String upstream) {
    /** The name of the route taken when no rule matches. */
    public static final String DEFAULT = "default";

    /** Returns whether this is the default route (no rule matched). */
    public boolean isDefault() {
        return DEFAULT.equals(name);
    }
}
