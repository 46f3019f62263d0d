package io.splitroute.routing;

import io.splitroute.sets.SetConfig;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.config.RouteConfig;
import io.splitroute.lists.rule.Origin;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleKind;
import io.splitroute.lists.rule.RouteDecision;
import io.splitroute.lists.rule.RuleTable;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Route;
import io.splitroute.sets.SetConfig;
import io.splitroute.sets.SetsConfig;
import io.splitroute.upstream.GroupSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The compiled routing: the rule table over every route's domains and lists, and one {@link Route} per
 * configured route (plus the default), made once, each bound to the running parts its names refer to.
 * Immutable; a reload builds a new one and swaps it in whole.
 */
public final class Routing {
    private final RuleTable table;
    private final Map<String, Route> routes = new HashMap<>();
    private final Route fallback;
    private final Map<String, GroupSpec> groups;
    private final SetsConfig sets;

    private Routing(RuleTable table, SplitrouteConfig config, UnaryOperator<Route> bind) {
        this.table = table;
        this.groups = config.upstreams();
        this.sets = config.sets();
        for (RouteConfig r : config.routes()) {
            routes.put(r.name(), bind.apply(Route.of(r.name(), r.upstream(), r.sets(), r.aaaa())));
        }
        this.fallback = bind.apply(Route.of(Route.DEFAULT, config.defaultUpstream(), List.of(), AaaaPolicy.PASS));
    }

    /**
     * Compiles the routes of {@code config} without running parts (as {@code check} does): inline domains
     * become suffix rules; rules from lists are added by {@code lists} (list name to rules), in the order each
     * route names them.
     */
    public static Routing compile(SplitrouteConfig config, Map<String, List<Rule>> lists) {
        return compile(config, lists, UnaryOperator.identity());
    }

    /**
     * Compiles the routes of {@code config} for a running server: {@code bind} gives each route (the default
     * one included) the parts its names refer to (its running upstream group, its sets).
     */
    public static Routing compile(SplitrouteConfig config, Map<String, List<Rule>> lists, UnaryOperator<Route> bind) {
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
        return new Routing(builder.build(), config, bind);
    }

    /** Returns the route for a query name (any case, with or without the trailing dot). No allocation. */
    public Route route(String name) {
        RouteDecision decision = table.lookup(name);
        return decision.matched() ? routes.get(decision.route()) : fallback;
    }

    /** Returns the rule table's decision for a name: the route and the deciding rule (for explanations). */
    public RouteDecision decision(String name) {
        return table.lookup(name);
    }

    /** Returns the route called {@code routeName} under this routing; {@code null} if there is none. */
    public Route named(String routeName) {
        return Route.DEFAULT.equals(routeName) ? fallback : routes.get(routeName);
    }

    /**
     * Returns whether a reply cached for {@code name} under route {@code routeName} of {@code before} is still
     * right under this routing: the name takes the same route, to the same upstream group configured the same
     * way (servers, binding, TLS), with the same AAAA policy.
     */
    public boolean sameRoute(Routing before, String name, String routeName) {
        Route now = route(name);
        Route then = before.named(routeName);
        return then != null && now.name().equals(routeName) && now.upstream().equals(then.upstream())
                && now.aaaa() == then.aaaa() && Objects.equals(groups.get(now.upstream()), before.groups.get(then.upstream()));
    }

    /**
     * Returns the servers of an upstream group as {@code check} shows them: each URI with its binding and TLS
     * name ({@link GroupSpec#describeServers()}).
     */
    public List<String> servers(String group) {
        GroupSpec spec = groups.get(group);
        return spec == null ? List.of() : spec.describeServers();
    }

    /** Returns the configured set called {@code name}, or {@code null}. */
    public SetConfig set(String name) {
        return sets.get(name);
    }

    /** Returns the number of rules in the table. */
    public int size() {
        return table.size();
    }
}
