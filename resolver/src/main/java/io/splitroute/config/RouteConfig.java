package io.splitroute.config;

import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Route;
import java.util.List;

/**
 * One route ({@code routes: [...]}): names matched by its domains or lists go to its upstream group.
 *
 * @param name     the route's name, shown by {@code check} and in metrics (not {@value Route#DEFAULT})
 * @param domains  inline domains (each matches itself and its subdomains), normalised
 * @param lists    names of entries of {@code lists:}
 * @param upstream the upstream group
 * @param sets     names of entries of {@code sets:} that answers on this route are written to
 * @param aaaa       what the route does with IPv6 addresses in answers
 * @param excludeIps names of entries of {@code ip-lists:} whose addresses are never written to the route's sets
 * @param line       the line of the route in the config file
 */
public record RouteConfig(String name, List<String> domains, List<String> lists, String upstream,
                          List<String> sets, AaaaPolicy aaaa, List<String> excludeIps, int line) {
    /** Checks the name and copies the lists. */
    public RouteConfig {
        if (Route.DEFAULT.equals(name) || Route.UNLISTED.equals(name)) {
            throw new IllegalArgumentException("'" + name + "' is the name of the route for unmatched names;"
                    + " pick another");
        }
        domains = List.copyOf(domains);
        lists = List.copyOf(lists);
        sets = List.copyOf(sets);
        excludeIps = List.copyOf(excludeIps);
    }

    /** A route that keeps no address out of its sets. */
    public RouteConfig(String name, List<String> domains, List<String> lists, String upstream, List<String> sets,
                       AaaaPolicy aaaa, int line) {
        this(name, domains, lists, upstream, sets, aaaa, List.of(), line);
    }

    /**
     * The AAAA policy of a route that names none: {@code pass} without sets, {@code set} when one of its sets
     * is inet6, {@code drop} otherwise (no IPv6 leak around an IPv4-only tunnel).
     */
    public static AaaaPolicy defaultAaaa(boolean hasSets, boolean hasInet6Set) {
        if (!hasSets) {
            return AaaaPolicy.PASS;
        }
        return hasInet6Set ? AaaaPolicy.SET : AaaaPolicy.DROP;
    }
}
