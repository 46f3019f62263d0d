package io.splitroute.routing;

import io.splitroute.config.AaaaPolicy;
import io.splitroute.config.SetConfig;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.config.SplitrouteConfig.RouteConfig;
import io.splitroute.lists.rule.Origin;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleKind;
import io.splitroute.lists.rule.RouteDecision;
import io.splitroute.lists.rule.RuleTable;
import io.splitroute.query.Route;
import io.splitroute.upstream.Upstream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled routing: the rule table over every route's domains and lists, and each route's upstream
 * group. Immutable; a reload builds a new one.
 */
public final class Routing {
    private final RuleTable table;
    private final Map<String, Route.Target> targets = new HashMap<>();
    private final Route fallback;
    private final Map<String, Upstream> groups;
    private final Map<String, List<String>> servers;
    private final Map<String, SetConfig> sets;

    private Routing(RuleTable table, SplitrouteConfig config, Map<String, Upstream> groups) {
        this.table = table;
        this.servers = config.upstreams();
        this.sets = config.sets();
        this.groups = Map.copyOf(groups);
        for (RouteConfig r : config.routes()) {
            List<SetConfig> routeSets = r.sets().stream().map(sets::get).toList();
            targets.put(r.name(), new Route.Target(r.name(), r.upstream(), groups.get(r.upstream()), routeSets, r.aaaa()));
        }
        this.fallback = new Route(new Route.Target(Route.DEFAULT, config.defaultUpstream(),
                groups.get(config.defaultUpstream()), List.of(), AaaaPolicy.PASS), null);
    }

    /**
     * Compiles the routes of {@code config}: inline domains become suffix rules; rules from lists are
     * added by {@code lists} (list name to rules), in the order each route names them.
     */
    public static Routing compile(SplitrouteConfig config, Map<String, List<Rule>> lists) {
        return compile(config, lists, Map.of());
    }

    /**
     * Compiles the routes of {@code config} for a running server: each route carries its running upstream
     * group (from {@code groups}, by name) and its sets.
     */
    public static Routing compile(SplitrouteConfig config, Map<String, List<Rule>> lists, Map<String, Upstream> groups) {
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
        return new Routing(builder.build(), config, groups);
    }

    /** Returns the route for a query name (any case, with or without the trailing dot). */
    public Route route(String name) {
        RouteDecision decision = table.lookup(name);
        if (!decision.matched()) {
            return decision.rule() == null ? fallback : new Route(fallback.target(), decision.rule());
        }
        return new Route(targets.get(decision.route()), decision.rule());
    }

    /** Returns the running upstream groups by name (empty where none run, as in {@code check}). */
    public Map<String, Upstream> groups() {
        return groups;
    }

    /** Returns the route a name took when it was routed by {@code routeName}, under this routing; {@code null} if gone. */
    public Route.Target target(String routeName) {
        return Route.DEFAULT.equals(routeName) ? fallback.target() : targets.get(routeName);
    }

    /**
     * Returns whether a reply cached for {@code name} under route {@code routeName} of {@code before} is still
     * right under this routing: the name takes the same route, to the same servers, with the same AAAA policy.
     */
    public boolean sameRoute(Routing before, String name, String routeName) {
        Route now = route(name);
        Route.Target then = before.target(routeName);
        return then != null && now.name().equals(routeName) && now.upstream().equals(then.upstream())
                && now.aaaa() == then.aaaa() && servers(now.upstream()).equals(before.servers(then.upstream()));
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
