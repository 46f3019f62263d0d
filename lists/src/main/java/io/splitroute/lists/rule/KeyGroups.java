package io.splitroute.lists.rule;

import io.splitroute.lists.match.NameIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a table's rules into {@link CompiledRules}: groups the rules of each key (kind and value), drops a
 * rule that its route already has for the key (same exception flag), puts each group in level order, and
 * indexes full and suffix keys by name.
 */
final class KeyGroups {
    private final PackedRules packed;
    private final LevelOrder order;
    /** Per rule: the next rule of the same key, in the order added; -1 at the end. */
    private final int[] next;
    private int[] fullHead = new int[16];
    private int[] fullTail = new int[16];
    private int[] suffixHead = new int[16];
    private int[] suffixTail = new int[16];
    private final Map<String, int[]> keywords = new LinkedHashMap<>();
    private final Map<String, int[]> regexps = new LinkedHashMap<>();
    private final List<Integer> groupStart = new ArrayList<>(List.of(0));
    private int[] groupIds = new int[16];
    private int groupIdCount;
    private int duplicates;

    private KeyGroups(PackedRules packed, byte[] routes) {
        this.packed = packed;
        this.order = new LevelOrder(packed, routes);
        this.next = new int[packed.size()];
        Arrays.fill(next, -1);
        Arrays.fill(fullHead, -1);
        Arrays.fill(suffixHead, -1);
    }

    /**
     * Compiles rules in the order added, with the route of each.
     *
     * @throws IllegalArgumentException if a REGEXP rule does not compile (the message names its origin)
     */
    static CompiledRules compile(String[] routeNames, PackedRules packed, byte[] routes) {
        return new KeyGroups(packed, routes).compile(routeNames, routes);
    }

    private CompiledRules compile(String[] routeNames, byte[] routes) {
        int n = packed.size();
        NameIndex.Builder index = NameIndex.builder(n);
        for (int id = 0; id < n; id++) {
            String value = packed.value(id);
            switch (packed.kind(id)) {
                case FULL -> chain(index.add(value), id, true);
                case SUFFIX -> chain(index.add(value), id, false);
                case KEYWORD -> keywords.merge(value, new int[] {id, id}, this::append);
                case REGEXP -> {
                    if (!regexps.containsKey(value)) {
                        compileRegexp(id, value);
                    }
                    regexps.merge(value, new int[] {id, id}, this::append);
                }
            }
        }
        int entries = index.entries();
        int[] values = new int[2 * entries];
        for (int e = 0; e < entries; e++) {
            values[2 * e] = e < fullHead.length && fullHead[e] >= 0 ? group(fullHead[e]) : NameIndex.NONE;
            values[2 * e + 1] = e < suffixHead.length && suffixHead[e] >= 0 ? group(suffixHead[e]) : NameIndex.NONE;
        }
        NameIndex names = index.build(values);
        int[] keywordRefs = keywords.values().stream().mapToInt(ends -> group(ends[0])).toArray();
        int[] regexpRefs = regexps.values().stream().mapToInt(ends -> group(ends[0])).toArray();
        int[] starts = groupStart.stream().mapToInt(Integer::intValue).toArray();
        return CompiledRules.lay(routeNames, packed, routes, n - duplicates, starts, Arrays.copyOf(groupIds, groupIdCount),
                names, List.copyOf(keywords.keySet()), keywordRefs, List.copyOf(regexps.keySet()), regexpRefs);
    }

    private void compileRegexp(int id, String value) {
        try {
            Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("regexp does not compile: " + packed.rule(id) + ": " + e.getDescription(), e);
        }
    }

    /** Appends rule {@code id} to the chain of entry {@code e}'s full or suffix key. */
    private void chain(int e, int id, boolean full) {
        if (e >= fullHead.length) {
            int size = Math.max(e + 1, fullHead.length * 2);
            fullHead = grow(fullHead, size);
            fullTail = grow(fullTail, size);
            suffixHead = grow(suffixHead, size);
            suffixTail = grow(suffixTail, size);
        }
        int[] head = full ? fullHead : suffixHead;
        int[] tail = full ? fullTail : suffixTail;
        if (head[e] < 0) {
            head[e] = id;
        } else {
            next[tail[e]] = id;
        }
        tail[e] = id;
    }

    private static int[] grow(int[] a, int size) {
        int old = a.length;
        int[] b = Arrays.copyOf(a, size);
        Arrays.fill(b, old, size, -1);
        return b;
    }

    /** Chains {@code added}'s rule after {@code chain}'s last one; both are {first, last} pairs. */
    private int[] append(int[] chain, int[] added) {
        next[chain[1]] = added[0];
        chain[1] = added[1];
        return chain;
    }

    /**
     * Returns the reference of the key whose rules are chained from {@code first}: the rule id when one rule
     * is left after dropping a route's repeats, else {@code ~g} for a new group in level order.
     */
    private int group(int first) {
        if (next[first] < 0) {
            return first;
        }
        List<Integer> ids = new ArrayList<>();
        for (int id = first; id >= 0; id = next[id]) {
            boolean repeat = false;
            for (int kept : ids) {
                if (order.route(kept) == order.route(id) && packed.exception(kept) == packed.exception(id)) {
                    repeat = true;
                    break;
                }
            }
            if (repeat) {
                duplicates++;
            } else {
                ids.add(id);
            }
        }
        if (ids.size() == 1) {
            return ids.getFirst();
        }
        ids.sort(order);
        if (groupIdCount + ids.size() > groupIds.length) {
            groupIds = Arrays.copyOf(groupIds, Math.max(groupIds.length * 2, groupIdCount + ids.size()));
        }
        for (int id : ids) {
            groupIds[groupIdCount++] = id;
        }
        groupStart.add(groupIdCount);
        return ~(groupStart.size() - 2);
    }

    /** Level order of a key's rules: route declaration order, then exceptions first, then the order added. */
    private record LevelOrder(PackedRules packed, byte[] routes) implements java.util.Comparator<Integer> {
        int route(int id) {
            return routes[id];
        }

        @Override
        public int compare(Integer a, Integer b) {
            int c = Integer.compare(routes[a], routes[b]);
            if (c != 0) {
                return c;
            }
            c = Boolean.compare(!packed.exception(a), !packed.exception(b));
            return c != 0 ? c : Integer.compare(a, b);
        }
    }
}
