package io.splitroute.doctor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nftables ruleset as {@code nft -j list ruleset} prints it, read for one question: which rules mark
 * packets whose destination is in a set, and do the prerouting and output hooks lead to them.
 */
final class NftRules {
    /** A chain: its table ({@code family name}), name, hook and type (both null for a regular chain). */
    private record Chain(String table, String name, String hook, String type) {}

    private final Map<String, Chain> chains = new HashMap<>();
    private final Map<String, List<List<Object>>> rules = new HashMap<>();

    private NftRules() {}

    /**
     * Parses the output of {@code nft -j list ruleset}.
     *
     * @throws IllegalArgumentException if it is not that
     */
    static NftRules parse(String json) {
        Object root = HostTools.json(json);
        if (!(root instanceof Map<?, ?> top) || !(top.get("nftables") instanceof List<?> items)) {
            throw new IllegalArgumentException("not the output of nft -j list ruleset");
        }
        NftRules parsed = new NftRules();
        for (Map<String, Object> item : HostTools.objects(items)) {
            if (item.get("chain") instanceof Map<?, ?> c) {
                String table = c.get("family") + " " + c.get("table");
                Chain chain = new Chain(table, String.valueOf(c.get("name")), (String) c.get("hook"), (String) c.get("type"));
                parsed.chains.put(key(table, chain.name()), chain);
            } else if (item.get("rule") instanceof Map<?, ?> r && r.get("expr") instanceof List<?> expr) {
                String table = r.get("family") + " " + r.get("table");
                parsed.rules.computeIfAbsent(key(table, String.valueOf(r.get("chain"))), k -> new ArrayList<>())
                        .add(List.copyOf(expr));
            }
        }
        return parsed;
    }

    private static String key(String table, String chain) {
        return table + " " + chain;
    }

    /** Returns the rules of table {@code table} ({@code inet splitroute}) that mark packets to {@code @set}. */
    List<Marking> markingsOf(String table, String set) {
        Set<String> fromPrerouting = new HashSet<>();
        Set<String> fromOutput = new HashSet<>();
        Set<String> fromOutputFilter = new HashSet<>();
        for (Chain chain : chains.values()) {
            if (!chain.table().equals(table) || chain.hook() == null) {
                continue;
            }
            switch (chain.hook()) {
                case "prerouting" -> fromPrerouting.addAll(reachable(chain));
                // Only a route chain re-routes a packet whose mark it changed; a filter chain marks it too late.
                case "output" -> ("route".equals(chain.type()) ? fromOutput : fromOutputFilter).addAll(reachable(chain));
                default -> { }
            }
        }
        List<Marking> found = new ArrayList<>();
        rules.forEach((chainKey, chainRules) -> {
            Chain chain = chains.get(chainKey);
            if (chain == null || !chain.table().equals(table)) {
                return;
            }
            for (List<Object> expr : chainRules) {
                long bits = markBits(expr);
                if (bits >= 0 && matchesSetDestination(expr, set)) {
                    String where = "nft " + table + " " + chain.name();
                    String outputProblem = fromOutput.contains(chainKey) ? null
                            : fromOutputFilter.contains(chainKey) ? "the output hook reaches " + chain.name()
                            + " only from a chain of type filter, which does not re-route marked packets (use type route)"
                            : "no output hook leads to " + chain.name();
                    found.add(new Marking(where, bits, fromPrerouting.contains(chainKey), fromOutput.contains(chainKey),
                            outputProblem));
                }
            }
        });
        return found;
    }

    private Set<String> reachable(Chain base) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(key(base.table(), base.name())));
        while (!todo.isEmpty()) {
            String chain = todo.pop();
            if (seen.add(chain)) {
                for (List<Object> expr : rules.getOrDefault(chain, List.of())) {
                    for (Map<String, Object> statement : HostTools.objects(expr)) {
                        for (String verdict : new String[] {"jump", "goto"}) {
                            if (statement.get(verdict) instanceof Map<?, ?> v && v.get("target") instanceof String target) {
                                todo.push(key(base.table(), target));
                            }
                        }
                    }
                }
            }
        }
        return seen;
    }

    /** Whether the rule matches {@code ip daddr @set} or {@code ip6 daddr @set}. */
    private static boolean matchesSetDestination(List<Object> expr, String set) {
        for (Map<String, Object> statement : HostTools.objects(expr)) {
            if (statement.get("match") instanceof Map<?, ?> match && ("@" + set).equals(match.get("right"))
                    && !"!=".equals(match.get("op"))
                    && match.get("left") instanceof Map<?, ?> left && left.get("payload") instanceof Map<?, ?> payload
                    && "daddr".equals(payload.get("field"))) {
                return true;
            }
        }
        return false;
    }

    /** The bits {@code meta mark set ...} sets for sure: a constant, or {@code meta mark | BITS}; -1 without one. */
    private static long markBits(List<Object> expr) {
        for (Map<String, Object> statement : HostTools.objects(expr)) {
            if (statement.get("mangle") instanceof Map<?, ?> mangle && mangle.get("key") instanceof Map<?, ?> key
                    && key.get("meta") instanceof Map<?, ?> meta && "mark".equals(meta.get("key"))) {
                Object value = mangle.get("value");
                if (value instanceof Number n) {
                    return n.longValue();
                }
                if (value instanceof Map<?, ?> op && op.get("|") instanceof List<?> operands) {
                    return operands.stream().filter(Number.class::isInstance).mapToLong(o -> ((Number) o).longValue())
                            .reduce(0, (a, b) -> a | b);
                }
                return 0;
            }
        }
        return -1;
    }
}
