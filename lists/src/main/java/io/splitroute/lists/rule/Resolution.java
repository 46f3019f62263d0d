package io.splitroute.lists.rule;

import io.splitroute.lists.match.MatchKind;
import java.util.Comparator;
import java.util.function.Function;

/**
 * Walks the matches of one name in precedence order and applies the route and exception rules: the slow
 * path of {@link RuleTable#lookup(String)}, taken only when an exception is among the strongest matches.
 */
final class Resolution implements RuleTable.KeyVisitor {
    /** Order of rule ids inside a level: route declaration order, then exceptions first, then id. */
    static final Function<RuleStore, Comparator<Integer>> ORDER = store -> Comparator
            .<Integer>comparingInt(store::route)
            .thenComparing(id -> !store.exception(id))
            .thenComparingInt(id -> id);

    private final RuleStore store;
    private long excludedRoutes;
    private int firstException = -1;
    private int winner = -1;
    private MatchKind pendingKind;
    private boolean decidedByNameLevels;
    private final java.util.List<Integer> pending = new java.util.ArrayList<>();

    Resolution(RuleStore store) {
        this.store = store;
    }

    @Override
    public boolean visit(MatchKind kind, int ref) {
        if (pendingKind != null && pendingKind != kind && resolvePending()) {
            return false;
        }
        int[] ids = store.ids(ref);
        if (kind == MatchKind.KEYWORD || kind == MatchKind.REGEXP) {
            // all keyword matches are one level (and all regexp matches another): decide once all are in
            pendingKind = kind;
            for (int id : ids) {
                pending.add(id);
            }
            return true;
        }
        boolean won = resolveLevel(ids);
        decidedByNameLevels = won;
        return !won;
    }

    /**
     * Tells whether the decision came from a full or suffix level. Such a decision depends only on the
     * best full or suffix key of the name (the weaker levels are that key's own suffixes), so it can be
     * cached on that key's entry.
     */
    boolean decidedByNameLevels() {
        return decidedByNameLevels;
    }

    /** Returns the decision once all matches were visited (or the walk stopped at a winner). */
    RouteDecision finish() {
        if (winner < 0 && pendingKind != null) {
            resolvePending();
        }
        if (winner >= 0) {
            return store.decision(winner);
        }
        return firstException >= 0 ? store.decision(firstException) : RouteDecision.none();
    }

    private boolean resolvePending() {
        int[] ids = pending.stream().sorted(ORDER.apply(store)).mapToInt(Integer::intValue).toArray();
        pending.clear();
        pendingKind = null;
        return resolveLevel(ids);
    }

    /** Decides one level; ids sorted by {@link #ORDER}. Returns true if a route won. */
    private boolean resolveLevel(int[] ids) {
        long levelExceptions = 0;
        for (int id : ids) {
            long bit = 1L << store.route(id);
            if ((excludedRoutes & bit) != 0) {
                continue;
            }
            if (store.exception(id)) {
                levelExceptions |= bit;
                if (firstException < 0) {
                    firstException = id;
                }
            } else if ((levelExceptions & bit) == 0) {
                winner = id;
                return true;
            }
        }
        excludedRoutes |= levelExceptions;
        return false;
    }
}
