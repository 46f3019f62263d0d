package io.splitroute.cache;

/**
 * Tells whether a saved answer is still right under the routing in service: the name must take the same route,
 * and the route must lead to the same upstream servers with the same AAAA policy. The cache file stores the stamp
 * of each entry's route; at start an entry whose stamp differs is dropped.
 */
@FunctionalInterface
public interface RouteCheck {
    /**
     * Returns a stamp of what an answer cached for {@code name} on route {@code route} depends on (the route's
     * upstream group, its servers, its AAAA policy), or {@code null} when {@code name} takes another route now.
     */
    String stamp(String name, String route);
}
