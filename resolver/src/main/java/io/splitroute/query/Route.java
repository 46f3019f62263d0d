package io.splitroute.query;

import io.splitroute.config.AaaaPolicy;
import io.splitroute.config.SetConfig;
import io.splitroute.lists.rule.Rule;
import io.splitroute.upstream.Upstream;
import java.util.List;

/**
 * The routing decision for one query: where it goes ({@link Target}) and the rule that decided. A query
 * carries the target it was routed with, so a reload in the middle of its resolution never mixes the old
 * routing with the new upstreams or sets.
 *
 * @param target the route's destination and policies
 * @param rule   the rule that decided, or {@code null} for the default route
 */
public record Route(Target target, Rule rule) {
    /** The name of the route taken when no rule matches. */
    public static final String DEFAULT = "default";

    /**
     * Where a route sends its queries and what it does with their answers.
     *
     * @param name     the route's name ({@value Route#DEFAULT} for unmatched names)
     * @param upstream the name of its upstream group
     * @param group    the upstream group itself, or {@code null} where none is running ({@code check})
     * @param sets     the kernel sets its answers are written to (empty: none)
     * @param aaaa     what it does with IPv6 addresses in answers
     */
    public record Target(String name, String upstream, Upstream group, List<SetConfig> sets, AaaaPolicy aaaa) {
        /** Copies the set list. */
        public Target {
            sets = List.copyOf(sets);
        }
    }

    /** Returns the route's name. */
    public String name() {
        return target.name();
    }

    /** Returns the name of the route's upstream group. */
    public String upstream() {
        return target.upstream();
    }

    /** Returns the route's kernel sets. */
    public List<SetConfig> sets() {
        return target.sets();
    }

    /** Returns the route's AAAA policy. */
    public AaaaPolicy aaaa() {
        return target.aaaa();
    }

    /** Returns whether this is the default route (no rule matched). */
    public boolean isDefault() {
        return DEFAULT.equals(target.name());
    }
}
