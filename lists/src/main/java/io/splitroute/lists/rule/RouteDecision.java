package io.splitroute.lists.rule;

/**
 * The outcome of a {@link RuleTable#lookup(String)}: the route a name takes and the rule that decided it.
 *
 * <ul>
 *   <li>matched: {@code route} and {@code rule} set;</li>
 *   <li>excluded: {@code route} null and {@code rule} the exception that kept the name off its route
 *       (e.g. {@code @@||dl.google.com}), no other route matching;</li>
 *   <li>none: both null, nothing matched.</li>
 * </ul>
 *
 * @param route the route name, or null if no route applies
 * @param rule the deciding rule, or null if nothing matched at all
 */
public record RouteDecision(String route, Rule rule) {
    private static final RouteDecision NONE = new RouteDecision(null, null);

    /** Checks that a route always comes with its rule. */
    public RouteDecision {
        if (route != null && rule == null) {
            throw new IllegalArgumentException("route " + route + " without a rule");
        }
    }

    /** Returns the decision for a name no rule matches. */
    public static RouteDecision none() {
        return NONE;
    }

    /** Returns true if a route was chosen ({@code route != null}). */
    public boolean matched() {
        return route != null;
    }

    /** Returns true if no route was chosen because an exception rule excluded the name. */
    public boolean excluded() {
        return route == null && rule != null;
    }

    /** Returns e.g. {@code route=tunnel by suffix:google.com from gfwlist ...} or {@code excluded by ...}. */
    @Override
    public String toString() {
        if (matched()) {
            return "route=" + route + " by " + rule;
        }
        return excluded() ? "no route, excluded by " + rule : "no route";
    }
}
