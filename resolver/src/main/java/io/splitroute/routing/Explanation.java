package io.splitroute.routing;

import io.splitroute.lists.rule.Rule;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a name is routed as it is: the route, the rule that decided and where it was read, the upstream
 * group and its servers. Shown by {@code splitroute check} and by {@code dig NAME TXT CH}.
 *
 * @param name     the name asked about, normalised
 * @param route    the route name ({@value Route#DEFAULT} when no rule matched)
 * @param rule     the deciding rule, or {@code null}
 * @param upstream the upstream group
 * @param servers  the group's servers as configured, each with its binding and TLS name
 * @param sets     the route's sets, each as {@code name (kernel set)}
 * @param aaaa     the route's AAAA policy
 */
public record Explanation(String name, String route, Rule rule, String upstream, List<String> servers,
                          List<String> sets, AaaaPolicy aaaa) {

    /** Explains {@code name} under {@code routing}. */
    public static Explanation of(String name, Routing routing) {
        Route route = routing.route(name);
        List<String> sets = route.sets().stream()
                .map(set -> set + " (" + routing.set(set).target().displayName() + ")").toList();
        return new Explanation(name, route.name(), routing.decision(name).rule(), route.upstream(),
                routing.servers(route.upstream()), sets, route.aaaa());
    }

    /** Returns the fields as ordered key/value pairs; the first is always {@code route}. */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("route", route);
        if (rule != null) {
            f.put("rule", (rule.exception() ? "excluded by " : "") + rule.origin().text().strip());
            f.put("match", rule.describe());
            f.put("list", rule.origin().list());
            f.put("source", rule.origin().source() + ":" + rule.origin().line());
        }
        f.put("upstream", upstream);
        f.put("servers", String.join(", ", servers));
        f.put("sets", sets.isEmpty() ? "none" : String.join(", ", sets));
        f.put("aaaa", aaaa.configName());
        return f;
    }

    /** Returns the TXT strings of the CHAOS answer: {@code route=tunnel}, {@code rule=||google.com}, ... */
    public List<String> txtStrings() {
        List<String> out = new ArrayList<>();
        fields().forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** Returns an indented text block for a terminal. */
    public String toText() {
        StringBuilder b = new StringBuilder(name).append('\n');
        fields().forEach((k, v) -> b.append("  ").append(String.format("%-9s", k + ":")).append(' ').append(v).append('\n'));
        return b.toString();
    }

    /** Returns one JSON object with {@code name} and every field (keys as in {@link #fields()}, plus {@code line}). */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"name\":").append(quote(name));
        fields().forEach((k, v) -> b.append(",\"").append(k).append("\":").append(quote(v)));
        if (rule != null) {
            b.append(",\"line\":").append(rule.origin().line());
            b.append(",\"exception\":").append(rule.exception());
        }
        b.append(",\"serverList\":[");
        for (int i = 0; i < servers.size(); i++) {
            b.append(i == 0 ? "" : ",").append(quote(servers.get(i)));
        }
        return b.append("]}").toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
