package io.splitroute.config;

import io.splitroute.lists.match.DomainNames;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.sets.SetsConfig;
import io.splitroute.sink.AddressFamily;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code routes: [{ name, domains, lists, upstream, sets, aaaa, exclude-ips }, ...]}; the upstream group,
 * lists, sets and IP lists a route names must exist.
 */
final class RoutesSection {
    static final Set<String> KEYS = Set.of("routes");
    private static final Set<String> ROUTE_KEYS = Set.of("name", "domains", "lists", "upstream", "sets", "aaaa",
            "exclude-ips");

    private RoutesSection() {}

    static List<RouteConfig> read(YamlNodes yaml, Node node, Set<String> upstreams, Set<String> lists, SetsConfig sets,
                                  Set<String> ipLists) {
        List<RouteConfig> routes = new ArrayList<>();
        if (node == null) {
            return routes;
        }
        List<Node> items = yaml.sequence(node, "routes");
        if (items == null) {
            return routes;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            RouteConfig route = route(yaml, items.get(i), "routes[" + i + "]", names, upstreams, lists, sets, ipLists);
            if (route != null) {
                routes.add(route);
            }
        }
        return routes;
    }

    private static RouteConfig route(YamlNodes yaml, Node item, String key, Set<String> names, Set<String> upstreams,
                                     Set<String> lists, SetsConfig sets, Set<String> ipLists) {
        Map<String, Node> fields = yaml.mapping(item, key, ROUTE_KEYS);
        if (fields == null) {
            return null;
        }
        String name = fields.containsKey("name") ? yaml.string(fields.get("name"), key + ".name") : null;
        if (!fields.containsKey("name")) {
            yaml.problem(item, key + ".name", "missing: every route needs a name");
        } else if (name != null && !names.add(name)) {
            yaml.problem(fields.get("name"), key + ".name", "route '" + name + "' is defined twice");
            name = null;
        }
        List<String> domains = fields.containsKey("domains")
                ? yaml.list(fields.get("domains"), key + ".domains", (n, k) -> domain(yaml, n, k)) : List.of();
        List<String> listNames = names(yaml, fields.get("lists"), key + ".lists", lists, "list", "lists:");
        if (!fields.containsKey("domains") && !fields.containsKey("lists")) {
            yaml.problem(item, key, "a route needs domains: [...] or lists: [...]");
        }
        String upstream = UpstreamsSection.reference(yaml, fields.get("upstream"), key + ".upstream", upstreams, item);
        List<String> setNames = names(yaml, fields.get("sets"), key + ".sets", sets == null ? Set.of()
                : sets.sets().keySet(), "set", "sets:");
        AaaaPolicy aaaa = aaaa(yaml, fields.get("aaaa"), key + ".aaaa", setNames, sets);
        List<String> excludeIps = names(yaml, fields.get("exclude-ips"), key + ".exclude-ips", ipLists, "IP list",
                "ip-lists:");
        if (excludeIps != null && !excludeIps.isEmpty() && setNames != null && setNames.isEmpty()) {
            yaml.problem(fields.get("exclude-ips"), key + ".exclude-ips",
                    "keeps addresses out of the route's sets, but the route has no sets:");
        }
        if (name == null || domains == null || listNames == null || upstream == null || setNames == null || aaaa == null
                || excludeIps == null) {
            return null;
        }
        String routeName = name;
        return yaml.build(fields.get("name"), key + ".name", () -> new RouteConfig(routeName, domains, listNames,
                upstream, setNames, aaaa, excludeIps, YamlNodes.line(item)));
    }

    /** Reads a list of names, each of which must be among {@code known}. */
    static List<String> names(YamlNodes yaml, Node node, String key, Set<String> known, String what,
                                      String under) {
        if (node == null) {
            return List.of();
        }
        List<String> names = yaml.strings(node, key);
        if (names != null) {
            for (int j = 0; j < names.size(); j++) {
                if (!known.contains(names.get(j))) {
                    yaml.problem(node, key + "[" + j + "]", "no " + what + " named '" + names.get(j) + "' under "
                            + under + YamlNodes.known(known));
                }
            }
        }
        return names;
    }

    private static String domain(YamlNodes yaml, Node node, String key) {
        String text = yaml.string(node, key);
        if (text == null) {
            return null;
        }
        try {
            return DomainNames.normalize(text);
        } catch (IllegalArgumentException e) {
            yaml.problem(node, key, e.getMessage());
            return null;
        }
    }

    /** The route's {@code aaaa:}, or its default ({@link RouteConfig#defaultAaaa}). */
    static AaaaPolicy aaaa(YamlNodes yaml, Node node, String key, List<String> setNames, SetsConfig sets) {
        boolean hasInet6 = setNames != null && sets != null && setNames.stream().map(sets::get)
                .anyMatch(s -> s != null && s.target().family() == AddressFamily.INET6);
        if (node == null) {
            return RouteConfig.defaultAaaa(setNames != null && !setNames.isEmpty(), hasInet6);
        }
        String text = yaml.string(node, key);
        if (text == null) {
            return null;
        }
        for (AaaaPolicy p : AaaaPolicy.values()) {
            if (p.configName().equals(text)) {
                if (p == AaaaPolicy.SET && !hasInet6) {
                    yaml.problem(node, key, "'set' needs an inet6 set among the route's sets");
                }
                return p;
            }
        }
        yaml.problem(node, key, "'" + text + "' is not one of drop, pass, set");
        return null;
    }
}
