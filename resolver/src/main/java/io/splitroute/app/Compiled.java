package io.splitroute.app;

import io.splitroute.config.SplitrouteConfig;
import io.splitroute.routing.RouteLists;
import io.splitroute.routing.Routing;
import io.splitroute.upstream.Upstream;
import java.util.Map;

/**
 * A config made ready to serve: its lists read, its upstream groups made (or the running ones reused), its
 * routing compiled and bound to them. Start and reload both make one ({@link ResolverAssembly#compile}).
 *
 * @param config  the config
 * @param lists   the lists as kept while serving (names, counts, failures; not the rules)
 * @param groups  the upstream groups by name
 * @param routing the compiled routing
 */
record Compiled(SplitrouteConfig config, RouteLists lists, Map<String, Upstream> groups, Routing routing) {}
