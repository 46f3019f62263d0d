package io.splitroute.lists.rule;

import io.splitroute.lists.match.DomainMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.PatternSyntaxException;

/**
 * The compiled, immutable rule table of all routes: routes a name by its most specific rule.
 *
 * <p>Precedence, strongest first: FULL, then SUFFIX (longer before shorter), then KEYWORD, then REGEXP.
 * Each full or suffix key is one precedence level; all keyword matches form one level, and so do all
 * regexp matches. Within a level the route declared first wins. Exceptions act within their own route:
 * an exception of route A at a level excludes A from that level and every weaker one; the weaker levels
 * are still searched for other routes. If no route is left, the decision carries the strongest exception
 * seen, with a null route. See {@code lists/README.md} for examples.
 *
 * <p>A lookup on an already lower-case name allocates nothing unless an exception is involved. Instances
 * are thread-safe; publish a new table to change the rules.
 */
public final class RuleTable {
    /** Most routes a table can hold (route sets are kept in a {@code long} bit mask on the lookup path). */
    public static final int MAX_ROUTES = 64;

    private static final RuleTable EMPTY = builder().build();

    private final List<String> routes;
    private final RuleStore store;
    private final DomainMatcher<Entry> matcher;
    private final int size;

    private RuleTable(List<String> routes, RuleStore store, DomainMatcher<Entry> matcher, int size) {
        this.routes = routes;
        this.store = store;
        this.matcher = matcher;
        this.size = size;
    }

    /** Returns a table without routes or rules: every lookup returns {@link RouteDecision#none()}. */
    public static RuleTable empty() {
        return EMPTY;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
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

    /** Collects routes and rules; {@link #build()} compiles them. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Integer> routeIndex = new LinkedHashMap<>();
        private final PackedRules.Builder rules = PackedRules.builder();
        private byte[] ruleRoutes = new byte[16];

        private Builder() {
        }

        /**
         * Declares a route; routes declared earlier win ties at equal precedence.
         *
         * @param routeName the route name, unique
         * @return this builder
         * @throws IllegalArgumentException if the route was already declared or there are too many routes
         */
        public Builder route(String routeName) {
            Objects.requireNonNull(routeName, "routeName");
            if (routeIndex.containsKey(routeName)) {
                throw new IllegalArgumentException("route \"" + routeName + "\" declared twice");
            }
            if (routeIndex.size() == MAX_ROUTES) {
                throw new IllegalArgumentException("too many routes: at most " + MAX_ROUTES + ", \"" + routeName + "\" is one more");
            }
            routeIndex.put(routeName, routeIndex.size());
            return this;
        }

        /**
         * Adds a rule to a declared route.
         *
         * @param routeName a route declared with {@link #route(String)}
         * @param rule the rule
         * @return this builder
         * @throws IllegalArgumentException if the route is not declared
         */
        public Builder add(String routeName, Rule rule) {
            int r = routeOf(routeName);
            rules.add(Objects.requireNonNull(rule, "rule"));
            setRoutes(r, rules.size() - 1);
            return this;
        }

        /**
         * Adds rules to a declared route. A list from {@link PackedRules#asList()} (as a parsed list gives
         * its rules) is copied in compact form, without rebuilding a rule object per rule.
         *
         * @param routeName a route declared with {@link #route(String)}
         * @param rules the rules, in order
         * @return this builder
         */
        public Builder addAll(String routeName, Collection<Rule> rules) {
            if (rules instanceof PackedRules.RuleList packed) {
                return addAll(routeName, packed.packed);
            }
            for (Rule rule : rules) {
                add(routeName, rule);
            }
            return this;
        }

        /**
         * Adds rules in compact form to a declared route, copying them without rule objects.
         *
         * @param routeName a route declared with {@link #route(String)}
         * @param packed the rules, in order
         * @return this builder
         */
        public Builder addAll(String routeName, PackedRules packed) {
            int r = routeOf(routeName);
            int from = rules.size();
            rules.addAll(packed);
            setRoutes(r, from);
            return this;
        }

        private int routeOf(String routeName) {
            Integer r = routeIndex.get(routeName);
            if (r == null) {
                throw new IllegalArgumentException("route \"" + routeName + "\" is not declared; declared: " + routeIndex.keySet());
            }
            return r;
        }

        /** Sets route {@code r} for the rules from index {@code from} to the last one added. */
        private void setRoutes(int r, int from) {
            int n = rules.size();
            if (n > ruleRoutes.length) {
                ruleRoutes = java.util.Arrays.copyOf(ruleRoutes, Math.max(n, ruleRoutes.length * 2));
            }
            java.util.Arrays.fill(ruleRoutes, from, n, (byte) r);
        }

        /**
         * Compiles the table.
         *
         * @return the immutable table
         * @throws IllegalArgumentException if a REGEXP rule does not compile (the message names its origin)
         */
        public RuleTable build() {
            PackedRules packed = rules.build();
            int n = packed.size();
            RuleStore store = new RuleStore(routeIndex.keySet().toArray(String[]::new), packed,
                    java.util.Arrays.copyOf(ruleRoutes, n));
            // The matcher groups rules of the same key itself: merging appends the newcomer's id to the
            // entry already there, so no second map over 115 000 keys is needed.
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
                    case REGEXP -> addRegexp(mb, packed, i, entry);
                }
            }
            int duplicates = 0;
            for (Entry e : shared) {
                duplicates += e.sortAndDropDuplicates(store);
            }
            return new RuleTable(List.copyOf(routeIndex.keySet()), store, mb.build(), n - duplicates);
        }

        private static void addRegexp(DomainMatcher.Builder<Entry> mb, PackedRules packed, int id, Entry entry) {
            try {
                mb.regexp(packed.value(id), entry);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("regexp does not compile: " + packed.rule(id) + ": " + e.getDescription(), e);
            }
        }
    }

}
