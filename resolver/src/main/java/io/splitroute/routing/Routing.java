package io.splitroute.routing;

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
import io.splitroute.unlisted.UnlistedConfig;
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
    private final Map<String, List<String>> excludeIps = new HashMap<>();
    private final UnlistedConfig unlisted;

    private Routing(RuleTable table, SplitrouteConfig config, UnaryOperator<Route> bind) {
        this.table = table;
        this.groups = config.upstreams();
        this.sets = config.sets();
        this.unlisted = config.unlisted();
        for (RouteConfig r : config.routes()) {
            routes.put(r.name(), bind.apply(Route.of(r.name(), r.upstream(), r.sets(), r.aaaa())));
            excludeIps.put(r.name(), r.excludeIps());
        }
        // With unlisted:, names no rule matches are judged by their answers; the route's upstream is the trusted
        // group, whose answers go to its sets.
        this.fallback = bind.apply(unlisted != null
                ? Route.of(Route.UNLISTED, unlisted.trusted(), unlisted.sets(), unlisted.aaaa())
                : Route.of(Route.DEFAULT, config.defaultUpstream(), List.of(), AaaaPolicy.PASS));
    }

    /**
     * Returns the routing of {@code config} over {@code table}, the rule table compiled from its routes and lists
     * ({@link RouteLists#load}, {@link RouteLists#compile}); {@code bind} gives each route (the default one
     * included) the parts its names refer to (its running upstream group, its sets).
     */
    public static Routing of(SplitrouteConfig config, RuleTable table, UnaryOperator<Route> bind) {
        return new Routing(table, config, bind);
    }

    /**
     * Compiles the routes of {@code config} on the heap without running parts, from rules already read (tests):
     * inline domains become suffix rules; rules from lists are added by {@code lists} (list name to rules), in
     * the order each route names them. A server and {@code check} use {@link RouteLists#spec} instead.
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
        return new Routing(builder.build(), config, UnaryOperator.identity());
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
        return fallback.name().equals(routeName) ? fallback : routes.get(routeName);
    }

    /** Returns the {@code unlisted:} block, or {@code null} when names no rule matches go to one group. */
    public UnlistedConfig unlisted() {
        return unlisted;
    }

    /** Returns the {@code exclude-ips} of a route (the unlisted route's {@code domestic-ips} are not among them). */
    public List<String> excludeIps(String routeName) {
        return excludeIps.getOrDefault(routeName, List.of());
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
                && now.aaaa() == then.aaaa() && Objects.equals(groups.get(now.upstream()), before.groups.get(then.upstream()))
                && sameDomesticSide(before, routeName);
    }

    /** For the unlisted route: the domestic side and the lists that judge its answers are unchanged too. */
    private boolean sameDomesticSide(Routing before, String routeName) {
        if (!Route.UNLISTED.equals(routeName)) {
            return true;
        }
        UnlistedConfig then = before.unlisted;
        return unlisted != null && then != null && unlisted.domestic().equals(then.domestic())
                && Objects.equals(groups.get(unlisted.domestic()), before.groups.get(then.domestic()))
                && unlisted.domesticIps().equals(then.domesticIps()) && unlisted.poisonIps().equals(then.poisonIps());
    }

    /**
     * Returns what the unlisted route's answers depend on besides its trusted group: the domestic group, its
     * servers, and the IP lists that judge ({@code ""} without {@code unlisted:}).
     */
    public String domesticSide() {
        return unlisted == null ? "" : "domestic=" + unlisted.domestic() + " " + servers(unlisted.domestic())
                + " domestic-ips=" + unlisted.domesticIps() + " poison-ips=" + unlisted.poisonIps();
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

    /** Returns whether the rule table is read from its mapped compiled file (its rules then cost no heap). */
    public boolean tableMapped() {
        return table.compiledForm().isMapped();
    }

    /** Returns the number of rules in the table. */
    public int size() {
        return table.size();
    }
}
