package io.splitroute.routing;

import io.splitroute.lists.rule.Rule;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Route;
import io.splitroute.query.Verdict;
import io.splitroute.unlisted.UnlistedConfig;
import io.splitroute.unlisted.UnlistedPlan;
import io.splitroute.unlisted.UnlistedStage;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why a name is routed as it is: the route, the rule that decided and where it was read, the upstream
 * group and its servers; for a name on no list under {@code unlisted:}, its verdict (domestic, foreign, or
 * undecided before its first answer) with the addresses and the IP list that decided. Shown by
 * {@code splitroute check} and by {@code dig NAME TXT CH}.
 *
 * @param name     the name asked about, normalised
 * @param route    the route name ({@value Route#DEFAULT}, or {@value Route#UNLISTED} with {@code unlisted:}, when no
 *                 rule matched)
 * @param rule     the deciding rule, or {@code null}
 * @param upstream the upstream group
 * @param servers  the group's servers as configured, each with its binding and TLS name
 * @param sets     the route's sets, each as {@code name (kernel set)}
 * @param aaaa     the route's AAAA policy
 * @param excludeIps the IP lists whose addresses are kept out of the route's sets
 * @param unlisted the verdict of a name on no list under {@code unlisted:}, else {@code null}
 */
public record Explanation(String name, String route, Rule rule, String upstream, List<String> servers,
                          List<String> sets, AaaaPolicy aaaa, List<String> excludeIps, Unlisted unlisted) {

    /** An explanation of a listed route (no {@code exclude-ips}, no verdict). */
    public Explanation(String name, String route, Rule rule, String upstream, List<String> servers,
                       List<String> sets, AaaaPolicy aaaa) {
        this(name, route, rule, upstream, servers, sets, aaaa, List.of(), null);
    }

    /**
     * How a name on no list is answered: both groups, the lists that judge, and its verdict.
     *
     * @param verdict     the remembered verdict, or {@code null}: undecided (before its first answer, and always
     *                    for {@code check}, which asks nothing)
     * @param domestic    the domestic group
     * @param trusted     the trusted group
     * @param domesticIps the {@code domestic-ips} lists
     */
    public record Unlisted(Verdict verdict, String domestic, String trusted, List<String> domesticIps) {}

    /** Explains {@code name} under {@code routing}. */
    public static Explanation of(String name, Routing routing) {
        Route route = routing.route(name);
        List<String> sets = route.sets().stream()
                .map(set -> set + " (" + routing.set(set).target().displayName() + ")").toList();
        UnlistedConfig unlisted = routing.unlisted();
        if (unlisted == null || !Route.UNLISTED.equals(route.name())) {
            return new Explanation(name, route.name(), routing.decision(name).rule(), route.upstream(),
                    routing.servers(route.upstream()), sets, route.aaaa(), routing.excludeIps(route.name()), null);
        }
        UnlistedPlan plan = route.part(UnlistedStage.PLAN);
        Verdict verdict = plan == null ? null : plan.verdicts().get(name);
        List<String> groups = verdict == null ? List.of(unlisted.domestic(), unlisted.trusted())
                : List.of(verdict.kind() == Verdict.Kind.DOMESTIC ? unlisted.domestic() : unlisted.trusted());
        List<String> servers = groups.stream().flatMap(g -> routing.servers(g).stream()).toList();
        return new Explanation(name, route.name(), routing.decision(name).rule(), String.join(", ", groups), servers,
                sets, route.aaaa(), List.of(),
                new Unlisted(verdict, unlisted.domestic(), unlisted.trusted(), unlisted.domesticIps()));
    }

    /** Returns this explanation with {@code shown} as the servers (as {@code system} expanded to resolv.conf's). */
    public Explanation withServers(List<String> shown) {
        return new Explanation(name, route, rule, upstream, shown, sets, aaaa, excludeIps, unlisted);
    }

    /** Returns the fields as ordered key/value pairs; the first is always {@code route}. */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("route", route);
        if (rule != null) {
            f.put("rule", (rule.exception() ? "excluded by " : "") + rule.origin().text().strip());
            f.put("match", rule.describe());
            f.put("list", rule.origin().list());
            f.put("source", rule.origin().location());
        }
        if (unlisted != null) {
            unlistedFields(f);
        }
        f.put("upstream", upstream);
        f.put("servers", String.join(", ", servers));
        f.put("sets", sets.isEmpty() ? "none" : String.join(", ", sets));
        if (!excludeIps.isEmpty()) {
            f.put("exclude-ips", String.join(", ", excludeIps));
        }
        f.put("aaaa", aaaa.configName());
        return f;
    }

    /** The verdict, the addresses and list that decided it, and the two groups of a name on no list. */
    private void unlistedFields(Map<String, String> f) {
        Verdict verdict = unlisted.verdict();
        f.put("verdict", verdict == null ? Verdict.Kind.UNDECIDED.tag() : verdict.kind().tag());
        if (verdict != null) {
            if (!verdict.addresses().isEmpty()) {
                f.put("addresses", verdict.addresses().stream().map(InetAddress::getHostAddress)
                        .collect(Collectors.joining(" ")));
            }
            if (verdict.list() != null) {
                f.put("ip-list", verdict.list());
            }
            f.put("reason", verdict.describe());
        } else {
            f.put("reason", "decided by the first answers: domestic when every address is in "
                    + String.join(", ", unlisted.domesticIps()));
        }
        f.put("domestic", unlisted.domestic());
        f.put("trusted", unlisted.trusted());
        f.put("domestic-ips", String.join(", ", unlisted.domesticIps()));
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
