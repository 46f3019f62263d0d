package io.splitroute.lists.rule;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compact storage of a table's rules by id: a few primitive arrays and two byte pools instead of one
 * {@link Rule} + {@link Origin} + strings per rule, which keeps the retained heap of a 115 000-rule table
 * small. {@link Rule} objects and their {@link RouteDecision} are created on first use and cached.
 */
final class RuleStore {
    private static final RuleKind[] KINDS = RuleKind.values();
    private static final int EXCEPTION_BIT = 0x10;
    /**
     * Most decisions kept materialised. A decision costs about 200 bytes of heap (its {@link Rule},
     * {@link Origin} and their strings): keeping one per rule ever used grows to 20 MB with the china list;
     * a direct-mapped cache of this many slots bounds it to about 1 MB, and a miss costs one decode.
     */
    static final int CACHED_DECISIONS = 4096;

    private final String[] routeNames;
    private final byte[] flags;
    private final byte[] routes;
    private final int[] sourceIndex;
    private final String[] lists;
    private final String[] sources;
    private final int[] lines;
    /**
     * Per rule, 1 + the index of the (prefix, suffix) pair its source line is made of around its value
     * ({@code server=/} and {@code /114.114.114.114} for a china-list line), or 0 when the line is kept whole
     * in {@link #text}: most lines of a list share one pair, so the 4 MB of raw china-list lines shrink to a
     * few hundred KB.
     */
    private final char[] affix;
    private final String[] prefixes;
    private final String[] suffixes;
    private final int[] textStart;
    private final byte[] text;
    private final int[] valueStart;
    private final byte[] values;
    private final CachedDecision[] decisions;

    RuleStore(String[] routeNames, List<Rule> rules, int[] routeOfRule) {
        int n = rules.size();
        this.routeNames = routeNames;
        this.flags = new byte[n];
        this.routes = new byte[n];
        this.sourceIndex = new int[n];
        this.lines = new int[n];
        this.affix = new char[n];
        this.textStart = new int[n + 1];
        this.valueStart = new int[n + 1];
        this.decisions = new CachedDecision[Math.min(CACHED_DECISIONS, Integer.highestOneBit(Math.max(1, n - 1)) << 1)];
        Map<String, Map<String, Integer>> sourceIds = new HashMap<>();
        java.util.ArrayList<String> listOf = new java.util.ArrayList<>();
        java.util.ArrayList<String> sourceOf = new java.util.ArrayList<>();
        Pool textPool = new Pool();
        Map<List<String>, Integer> affixIds = new HashMap<>();
        java.util.ArrayList<String> prefixOf = new java.util.ArrayList<>();
        java.util.ArrayList<String> suffixOf = new java.util.ArrayList<>();
        Pool valuePool = new Pool();
        Origin last = null;
        int lastIndex = -1;
        for (int i = 0; i < n; i++) {
            Rule r = rules.get(i);
            Origin o = r.origin();
            if (last != null && o.list() == last.list() && o.source() == last.source()) {
                sourceIndex[i] = lastIndex;
            } else {
                sourceIndex[i] = sourceIds.computeIfAbsent(o.list(), k -> new HashMap<>())
                        .computeIfAbsent(o.source(), k -> {
                            listOf.add(o.list());
                            sourceOf.add(o.source());
                            return listOf.size() - 1;
                        });
                last = o;
                lastIndex = sourceIndex[i];
            }
            flags[i] = (byte) (r.kind().ordinal() | (r.exception() ? EXCEPTION_BIT : 0));
            routes[i] = (byte) routeOfRule[i];
            lines[i] = o.line();
            textStart[i] = textPool.size;
            String line = o.text();
            int at = line.indexOf(r.value());
            if (at >= 0 && affixIds.size() < Character.MAX_VALUE - 1) {
                String prefix = line.substring(0, at);
                String suffix = line.substring(at + r.value().length());
                Integer id = affixIds.computeIfAbsent(List.of(prefix, suffix), k -> {
                    prefixOf.add(prefix);
                    suffixOf.add(suffix);
                    return prefixOf.size() - 1;
                });
                affix[i] = (char) (id + 1);
            } else {
                textPool.add(line);
            }
            valueStart[i] = valuePool.size;
            valuePool.add(r.value());
        }
        textStart[n] = textPool.size;
        valueStart[n] = valuePool.size;
        this.text = textPool.toArray();
        this.values = valuePool.toArray();
        this.lists = listOf.toArray(String[]::new);
        this.sources = sourceOf.toArray(String[]::new);
        this.prefixes = prefixOf.toArray(String[]::new);
        this.suffixes = suffixOf.toArray(String[]::new);
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
        int s = sourceIndex[id];
        String value = string(values, valueStart, id);
        int a = affix[id] - 1;
        String line = a < 0 ? string(text, textStart, id) : prefixes[a] + value + suffixes[a];
        Origin origin = new Origin(lists[s], sources[s], lines[id], line);
        return new Rule(KINDS[flags[id] & 0x0f], value, exception(id), origin);
    }

    private static String string(byte[] pool, int[] start, int id) {
        return new String(pool, start[id], start[id + 1] - start[id], StandardCharsets.UTF_8);
    }

    /** A growable byte array holding strings as UTF-8 (ASCII copied without encoding). */
    private static final class Pool {
        private byte[] bytes = new byte[1 << 16];
        private int size;

        void add(String s) {
            // getBytes is an intrinsic copy for ASCII text, fast even before our own code is compiled
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        private void ensure(int extra) {
            if (size + extra > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
            }
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }
}
