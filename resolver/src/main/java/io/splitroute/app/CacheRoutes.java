package io.splitroute.app;

import io.splitroute.cache.RouteCheck;
import io.splitroute.query.Route;
import io.splitroute.routing.Routing;
import java.util.function.Supplier;

/**
 * The cache file's {@link RouteCheck} over the routing in service: a name's route, its upstream group, that
 * group's servers and the route's AAAA policy, as {@link Routing#sameRoute} compares them on a reload.
 */
final class CacheRoutes implements RouteCheck {
    private final Supplier<Routing> routing;

    /** @param routing the routing in service (read on every call: a reload swaps it) */
    CacheRoutes(Supplier<Routing> routing) {
        this.routing = routing;
    }

    @Override
    public String stamp(String name, String route) {
        Routing current = routing.get();
        Route now = current.route(name);
        if (!now.name().equals(route)) {
            return null;
        }
        return now.upstream() + " " + current.servers(now.upstream()) + " aaaa=" + now.aaaa();
    }
}
