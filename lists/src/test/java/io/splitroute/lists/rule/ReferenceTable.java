package io.splitroute.lists.rule;

import io.splitroute.lists.match.DomainMatcher;
import io.splitroute.lists.match.MatchKind;
import io.splitroute.lists.match.MatchVisitor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The rule table as it was before it was compiled into a flat layout (objects per key over
 * {@link DomainMatcher}), kept unchanged as the reference that the compiled and the mapped table must
 * agree with, decision for decision. Test code only.
 */
final class ReferenceTable {
    /** Most routes a table can hold (route sets are kept in a {@code long} bit mask on the lookup path). */
    public static final int MAX_ROUTES = 64;

    
    private final List<String> routes;
    private final RuleStore store;
    private final DomainMatcher<Entry> matcher;
    private final int size;

    private ReferenceTable(List<String> routes, RuleStore store, DomainMatcher<Entry> matcher, int size) {
        this.routes = routes;
        this.store = store;
        this.matcher = matcher;
        this.size = size;
    }


    /**
     * Decides the route of a name.
     *
     * @param name a query name in any case, with or without trailing dot, IDN allowed
     * @return the decision, never null; {@link RouteDecision#none()} when nothing matches
     */
    public RouteDecision lookup(String name) {
        if (name == null) {
            return RouteDecision.none();
        }
        Entry best = matcher.first(name);
        if (best == null) {
            return RouteDecision.none();
        }
        if (!store.exception(best.first)) {
            // The strongest level's first rule (route order, exceptions first) is not an exception: it wins.
            // Not kept on the entry: the store bounds how many decoded decisions stay in memory.
            return store.decision(best.first);
        }
        RouteDecision fast = best.fast;
        if (fast != null) {
            return fast;
        }
        Resolution r = new Resolution(store);
        matcher.forEach(name, r);
        RouteDecision d = r.finish();
        if (r.decidedByNameLevels() || !matcher.hasSubstringKeys()) {
            // The outcome depends only on this entry's key and its suffixes: every later name whose best
            // key is this one gets the same decision (e.g. dl.google.com excluded by @@||dl.google.com).
            best.fast = d;
        }
        return d;
    }

    /**
     * Returns every rule of every route matching a name, strongest level first (for explanations).
     *
     * @param name a query name in any case
     * @return the matching rules; empty if none
     */
    public List<Rule> matchingRules(String name) {
        List<Rule> out = new ArrayList<>();
        if (name != null) {
            matcher.forEach(name, (kind, entry) -> {
                entry.forEachId(id -> out.add(store.rule(id)));
                return true;
            });
        }
        return out;
    }

    /** Returns the declared routes in declaration (priority) order. */
    public List<String> routes() {
        return routes;
    }

    /** Returns how many decoded decisions the table keeps now (for tests). */
    int materializedDecisions() {
        return store.materializedDecisions();
    }

    /** Returns the number of rules in the table, after removing duplicates (same route, kind, value and exception flag). */
    public int size() {
        return size;
    }

    /** Rules sharing one key (kind + value), sorted by route, then exceptions first. */
    static final class Entry {
        // Written only while the table is built; published through the matcher's final fields.
        int first;
        int[] rest;
        /**
         * For an entry whose first rule is an exception: the decision for every name whose strongest key is
         * this entry's, set on first use (benign race: immutable value); left null when keywords or regexps
         * could still change it per name.
         */
        RouteDecision fast;

        Entry(int first, int[] rest) {
            this.first = first;
            this.rest = rest;
        }

        void append(int id) {
            rest = rest == null ? new int[] {id} : java.util.Arrays.copyOf(rest, rest.length + 1);
            rest[rest.length - 1] = id;
        }

        /**
         * Puts the ids in level order (route, exceptions first, id) and drops later copies of a rule that
         * its route already has (same key, same exception flag).
         *
         * @return how many ids were dropped
         */
        int sortAndDropDuplicates(RuleStore store) {
            List<Integer> ids = new ArrayList<>();
            forEachId(id -> {
                for (int kept : ids) {
                    if (store.route(kept) == store.route(id) && store.exception(kept) == store.exception(id)) {
                        return;
                    }
                }
                ids.add(id);
            });
            int dropped = 1 + rest.length - ids.size();
            ids.sort(Resolution.ORDER.apply(store));
            first = ids.get(0);
            rest = ids.size() == 1 ? null : ids.subList(1, ids.size()).stream().mapToInt(Integer::intValue).toArray();
            return dropped;
        }

        void forEachId(java.util.function.IntConsumer action) {
            action.accept(first);
            if (rest != null) {
                for (int id : rest) {
                    action.accept(id);
                }
            }
        }
    }


    /** Builds the reference over the same rules as a {@link RuleTable.Builder} would get them. */
    static ReferenceTable of(String[] routeNames, PackedRules packed, byte[] routes) {
        int n = packed.size();
        RuleStore store = new RuleStore(routeNames, packed, java.util.Arrays.copyOf(routes, n));
        List<Entry> shared = new ArrayList<>();
        DomainMatcher.Builder<Entry> mb = DomainMatcher.builder((old, added) -> {
            if (old.rest == null) {
                shared.add(old);
            }
            old.append(added.first);
            return old;
        }, n);
        for (int i = 0; i < n; i++) {
            Entry entry = new Entry(i, null);
            String value = packed.value(i);
            switch (packed.kind(i)) {
                case FULL -> mb.full(value, entry);
                case SUFFIX -> mb.suffix(value, entry);
                case KEYWORD -> mb.keyword(value, entry);
                case REGEXP -> mb.regexp(value, entry);
            }
        }
        int duplicates = 0;
        for (Entry e : shared) {
            duplicates += e.sortAndDropDuplicates(store);
        }
        return new ReferenceTable(List.of(routeNames), store, mb.build(), n - duplicates);
    }

    static final class Resolution implements MatchVisitor<ReferenceTable.Entry> {
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
        public boolean visit(MatchKind kind, ReferenceTable.Entry entry) {
            if (pendingKind != null && pendingKind != kind && resolvePending()) {
                return false;
            }
            if (kind == MatchKind.KEYWORD || kind == MatchKind.REGEXP) {
                // all keyword matches are one level (and all regexp matches another): decide once all are in
                pendingKind = kind;
                entry.forEachId(pending::add);
                return true;
            }
            int[] ids = new int[entry.rest == null ? 1 : entry.rest.length + 1];
            ids[0] = entry.first;
            if (entry.rest != null) {
                System.arraycopy(entry.rest, 0, ids, 1, entry.rest.length);
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

    static final class RuleStore {
        private static final int EXCEPTION_BIT = 0x10;
        /**
         * Most decisions kept materialised. A decision costs about 200 bytes of heap (its {@link Rule},
         * {@link Origin} and their strings): keeping one per rule ever used grows to 20 MB with the china list;
         * a direct-mapped cache of this many slots bounds it to about 1 MB, and a miss costs one decode.
         */
        static final int CACHED_DECISIONS = 4096;

        private final String[] routeNames;
        private final PackedRules rules;
        /** The rules' flags (kind, exception bit), read on every lookup. */
        private final byte[] flags;
        private final byte[] routes;
        private final CachedDecision[] decisions;

        RuleStore(String[] routeNames, PackedRules rules, byte[] routeOfRule) {
            int n = rules.size();
            this.routeNames = routeNames;
            this.rules = rules;
            this.flags = rules.flags;
            this.routes = routeOfRule;
            this.decisions = new CachedDecision[Math.min(CACHED_DECISIONS, Integer.highestOneBit(Math.max(1, n - 1)) << 1)];
        }

        int size() {
            return flags.length;
        }

        boolean exception(int id) {
            return (flags[id] & EXCEPTION_BIT) != 0;
        }

        int route(int id) {
            return routes[id];
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
            RouteDecision d = new RouteDecision(rule.exception() ? null : routeNames[routes[id]], rule);
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

        private Rule materialize(int id) {
            return rules.rule(id);
        }
    }
}
