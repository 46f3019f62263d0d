package io.splitroute.routing;

import io.splitroute.config.AaaaPolicy;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.config.SplitrouteConfig.RouteConfig;
import io.splitroute.lists.rule.Origin;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleKind;
import io.splitroute.lists.rule.RouteDecision;
import io.splitroute.lists.rule.RuleTable;
import io.splitroute.query.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled routing: the rule table over every route's domains and lists, and each route's upstream
 * group. Immutable; a reload builds a new one.
 */
public final class Routing {
    private final RuleTable table;
    private final Map<String, Route> routes = new HashMap<>();
    private final Route fallback;
    private final Map<String, List<String>> servers;

    private Routing(RuleTable table, SplitrouteConfig config) {
        this.table = table;
        this.servers = config.upstreams();
        for (RouteConfig r : config.routes()) {
            routes.put(r.name(), new Route(r.name(), null, r.upstream(), r.sets(), r.aaaa()));
        }
        this.fallback = new Route(Route.DEFAULT, null, config.defaultUpstream(), List.of(), AaaaPolicy.PASS);
    }

    /**
     * Compiles the routes of {@code config}: inline domains become suffix rules; rules from lists are
     * added by {@code lists} (list name to rules), in the order each route names them.
     */
    public static Routing compile(SplitrouteConfig config, Map<String, List<Rule>> lists) {
        RuleTable.Builder builder = RuleTable.builder();
        for (RouteConfig r : config.routes()) {
            builder.route(r.name());
            for (String domain : r.domains()) {
                builder.add(r.name(), new Rule(RuleKind.SUFFIX, domain, false,
                        new Origin("routes." + r.name() + ".domains", config.source(), r.line(), domain)));
            }
            for (String list : r.lists()) {
                builder.addAll(r.name(), lists.getOrDefault(list, List.of()));
            }
        }
        return new Routing(builder.build(), config);
    }

    /** Returns the route for a query name (any case, with or without the trailing dot). */
    public Route route(String name) {
        RouteDecision decision = table.lookup(name);
        if (!decision.matched()) {
            return decision.rule() == null ? fallback : fallback.withRule(decision.rule());
        }
        return routes.get(decision.route()).withRule(decision.rule());
    }

    /** Returns the configured servers of an upstream group. */
    public List<String> servers(String group) {
        return servers.getOrDefault(group, List.of());
    }

    /** Returns the number of rules in the table. */
    public int size() {
        return table.size();
    }
}
