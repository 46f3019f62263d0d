package io.splitroute.lists.rule;

import io.splitroute.lists.match.DomainNames;
import io.splitroute.lists.match.MatchKind;
import io.splitroute.lists.match.NameIndex;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

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
 * <p>The rules live in one flat compiled form ({@link #compiledForm()}): in a heap array after
 * {@link Builder#build()}, or in a file mapped read-only ({@link RuleTableFile}), where they cost no Java
 * heap. Both give the same decisions: the lookup reads the same layout. A lookup on an already lower-case
 * name allocates nothing unless an exception is involved. Instances are thread-safe; publish a new table to
 * change the rules.
 */
public final class RuleTable {
    /** Most routes a table can hold (route sets are kept in a {@code long} bit mask on the lookup path). */
    public static final int MAX_ROUTES = 64;
    /** Slots of the cache of decisions made by an exception (see {@link #lookup}); a miss costs a slow lookup. */
    private static final int FAST_DECISIONS = 1024;

    private static final RuleTable EMPTY = builder().build();

    private final List<String> routes;
    private final CompiledRules compiled;
    private final RuleStore store;
    private final NameIndex names;
    private final String[] keywords;
    private final int[] keywordRefs;
    private final Pattern[] regexps;
    private final int[] regexpRefs;
    private final FastDecision[] fast = new FastDecision[FAST_DECISIONS];

    private RuleTable(CompiledRules compiled) {
        this.compiled = compiled;
        this.routes = List.of(compiled.routeNames());
        this.store = new RuleStore(compiled);
        this.names = compiled.names();
        this.keywords = compiled.keywords();
        this.keywordRefs = compiled.keywordRefs();
        this.regexps = new Pattern[compiled.regexps().length];
        for (int i = 0; i < regexps.length; i++) {
            regexps[i] = Pattern.compile(compiled.regexps()[i]); // compiled once already, when the table was built
        }
        this.regexpRefs = compiled.regexpRefs();
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
     * Returns the table over a compiled form laid out by {@link #compiledForm()}, where it lies (e.g. in a
     * mapped file), without copying it. {@link RuleTableFile#open} checks the file first.
     *
     * @param compiledForm the layout
     * @return the table
     * @throws IllegalArgumentException if the layout is not a compiled rule table
     */
    public static RuleTable of(MemorySegment compiledForm) {
        return new RuleTable(CompiledRules.of(compiledForm));
    }

    /**
     * Returns the table's compiled form, read-only: the flat layout of every rule and key, which
     * {@link RuleTableFile} writes.
     */
    public MemorySegment compiledForm() {
        return compiled.body().asReadOnly();
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
        int best = names.best(name);
        if (best == NameIndex.NOT_ASCII) {
            String converted = DomainNames.toLookupForm(name);
            return converted == null || !isAscii(converted) ? RouteDecision.none() : lookup(converted);
        }
        if (best == NameIndex.NONE) {
            best = firstSubstringMatch(name);
            if (best == NameIndex.NONE) {
                return RouteDecision.none();
            }
        }
        int first = compiled.firstId(best);
        if (!store.exception(first)) {
            // The strongest level's first rule (route order, exceptions first) is not an exception: it wins.
            // Not kept per key: the store bounds how many decoded decisions stay in memory.
            return store.decision(first);
        }
        int slot = best & (FAST_DECISIONS - 1);
        FastDecision known = fast[slot];
        if (known != null && known.ref == best) {
            return known.decision;
        }
        Resolution r = new Resolution(store);
        forEachKey(name, r);
        RouteDecision d = r.finish();
        if (r.decidedByNameLevels() || !hasSubstringKeys()) {
            // The outcome depends only on this key and its suffixes: every later name whose best key is this
            // one gets the same decision (e.g. dl.google.com excluded by @@||dl.google.com). Benign race:
            // the record is immutable, a slot keeps the last one written.
            fast[slot] = new FastDecision(best, d);
        }
        return d;
    }

    private boolean hasSubstringKeys() {
        return keywords.length > 0 || regexps.length > 0;
    }

    /** The first keyword key, else the first regexp key, matching a name; {@link NameIndex#NONE} if none. */
    private int firstSubstringMatch(String queryName) {
        if (!hasSubstringKeys()) {
            return NameIndex.NONE;
        }
        String name = DomainNames.toLookupForm(queryName);
        if (name == null) {
            return NameIndex.NONE;
        }
        for (int k = 0; k < keywords.length; k++) {
            if (name.contains(keywords[k])) {
                return keywordRefs[k];
            }
        }
        for (int k = 0; k < regexps.length; k++) {
            if (regexps[k].matcher(name).find()) {
                return regexpRefs[k];
            }
        }
        return NameIndex.NONE;
    }

    /** Receives the keys matching a name, strongest first; returning false stops the walk. */
    @FunctionalInterface
    interface KeyVisitor {
        boolean visit(MatchKind kind, int ref);
    }

    /** Reports every key matching a name in precedence order: full, suffixes longest first, keywords, regexps. */
    private void forEachKey(String queryName, KeyVisitor visitor) {
        String name = DomainNames.toLookupForm(queryName);
        if (name == null || !isAscii(name)) {
            return;
        }
        if (!names.forEach(name, (full, ref) -> visitor.visit(full ? MatchKind.FULL : MatchKind.SUFFIX, ref))) {
            return;
        }
        for (int k = 0; k < keywords.length; k++) {
            if (name.contains(keywords[k]) && !visitor.visit(MatchKind.KEYWORD, keywordRefs[k])) {
                return;
            }
        }
        for (int k = 0; k < regexps.length; k++) {
            if (regexps[k].matcher(name).find() && !visitor.visit(MatchKind.REGEXP, regexpRefs[k])) {
                return;
            }
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
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
            forEachKey(name, (kind, ref) -> {
                for (int id : store.ids(ref)) {
                    out.add(store.rule(id));
                }
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
        return compiled.size();
    }

    /** A decision made by an exception, for the names whose strongest key is {@code ref}. */
    private record FastDecision(int ref, RouteDecision decision) {
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
         * Compiles the table into its flat form on the heap.
         *
         * @return the immutable table
         * @throws IllegalArgumentException if a REGEXP rule does not compile (the message names its origin)
         */
        public RuleTable build() {
            PackedRules packed = rules.build();
            byte[] routesOfRules = java.util.Arrays.copyOf(ruleRoutes, packed.size());
            return new RuleTable(KeyGroups.compile(routeIndex.keySet().toArray(String[]::new), packed, routesOfRules));
        }
    }
}
