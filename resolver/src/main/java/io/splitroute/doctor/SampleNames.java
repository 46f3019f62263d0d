package io.splitroute.doctor;

import io.splitroute.config.RouteConfig;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleKind;
import io.splitroute.routing.RouteLists;
import io.splitroute.routing.Routing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names {@code doctor} asks about when none are given: for each route, its inline domains, then the
 * first plain names of its lists (suffix and full rules), each one the routing really sends to that route.
 */
final class SampleNames {
    /** How many candidates a route offers; the names check stops at the first ones that get an address. */
    static final int CANDIDATES = 6;

    private SampleNames() {}

    /** Returns up to {@link #CANDIDATES} names per route, by route name, in config order. */
    static Map<String, List<String>> of(SplitrouteConfig config, RouteLists lists, Routing routing) {
        Map<String, List<String>> samples = new LinkedHashMap<>();
        for (RouteConfig route : config.routes()) {
            Set<String> names = new LinkedHashSet<>();
            for (String domain : route.domains()) {
                add(names, domain, route.name(), routing);
            }
            for (String listName : route.lists()) {
                ParsedList list = lists.lists().get(listName);
                if (list == null) {
                    continue;
                }
                for (Rule rule : list.rules()) {
                    if (names.size() >= CANDIDATES) {
                        break;
                    }
                    if (!rule.exception() && (rule.kind() == RuleKind.SUFFIX || rule.kind() == RuleKind.FULL)
                            && rule.value().indexOf('.') > 0) {
                        add(names, rule.value(), route.name(), routing);
                    }
                }
            }
            samples.put(route.name(), new ArrayList<>(names).subList(0, Math.min(CANDIDATES, names.size())));
        }
        return samples;
    }

    private static void add(Set<String> names, String name, String route, Routing routing) {
        if (routing.route(name).name().equals(route)) {
            names.add(name);
        }
    }
}
