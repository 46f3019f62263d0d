package io.splitroute.query;

import io.splitroute.config.AaaaPolicy;
import io.splitroute.lists.rule.Rule;
import java.util.List;

/**
 * The routing decision for one query: which route matched (or the default), by which rule, and which
 * upstream group serves it.
 *
 * @param name     the route's name, or {@value #DEFAULT} when no route matched
 * @param rule     the rule that decided, or {@code null} for the default route
 * @param upstream the name of the upstream group that serves the query
 * @param sets     names of the kernel sets its answers are written to (empty: none)
 * @param aaaa     what the route does with IPv6 addresses in answers
 */
public record Route(String name, Rule rule, String upstream, List<String> sets, AaaaPolicy aaaa) {
    /** The name of the route taken when no rule matches. */
    public static final String DEFAULT = "default";

    /** Returns the same route decided by another rule. */
    public Route withRule(Rule decidingRule) {
        return new Route(name, decidingRule, upstream, sets, aaaa);
    }

    /** Returns whether this is the default route (no rule matched). */
    public boolean isDefault() {
        return DEFAULT.equals(name);
    }
}
