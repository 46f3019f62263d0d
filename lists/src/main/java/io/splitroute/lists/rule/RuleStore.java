package io.splitroute.lists.rule;

/**
 * A table's rules by id, in their compiled form ({@link CompiledRules}), with the route of each; {@link Rule}
 * objects and their {@link RouteDecision} are created on first use and kept in a bounded cache.
 */
final class RuleStore {
    /**
     * Most decisions kept materialised. A decision costs about 200 bytes of heap (its {@link Rule},
     * {@link Origin} and their strings): keeping one per rule ever used grows to 20 MB with the china list;
     * a direct-mapped cache of this many slots bounds it to about 1 MB, and a miss costs one decode.
     */
    static final int CACHED_DECISIONS = 4096;

    private final String[] routeNames;
    private final CompiledRules rules;
    private final CachedDecision[] decisions;

    RuleStore(CompiledRules rules) {
        int n = rules.rules();
        this.routeNames = rules.routeNames();
        this.rules = rules;
        this.decisions = new CachedDecision[Math.min(CACHED_DECISIONS, Integer.highestOneBit(Math.max(1, n - 1)) << 1)];
    }

    boolean exception(int id) {
        return rules.exception(id);
    }

    int route(int id) {
        return rules.route(id);
    }

    /** Returns the decision this rule makes: its route (null for an exception) and the rule. */
    RouteDecision decision(int id) {
        int slot = id & (decisions.length - 1);
        CachedDecision cached = decisions[slot];
        if (cached != null && cached.id() == id) {
            return cached.decision();
        }
        // Benign race: records have final fields, so a decision published without a lock is still safe;
        // two threads may decode the same rule, and the slot keeps the later one.
        Rule rule = materialize(id);
        RouteDecision d = new RouteDecision(rule.exception() ? null : routeNames[rules.route(id)], rule);
        decisions[slot] = new CachedDecision(id, d);
        return d;
    }

    /** Returns how many decisions are materialised now (for tests: bounded by {@link #CACHED_DECISIONS}). */
    int materializedDecisions() {
        int count = 0;
        for (CachedDecision d : decisions) {
            if (d != null) {
                count++;
            }
        }
        return count;
    }

    /** A decoded decision in its cache slot, with the rule id it is for. */
    private record CachedDecision(int id, RouteDecision decision) {
    }

    Rule rule(int id) {
        return decision(id).rule();
    }

    /** Returns the rule ids of a key ({@link CompiledRules#ids}). */
    int[] ids(int ref) {
        return rules.ids(ref);
    }

    private Rule materialize(int id) {
        return rules.rule(id);
    }
}
