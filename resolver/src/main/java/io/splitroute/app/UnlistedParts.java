package io.splitroute.app;

import io.splitroute.cache.CacheKey;
import io.splitroute.cache.CachedReply;
import io.splitroute.config.RouteConfig;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.lists.ip.IpRangeTable;
import io.splitroute.query.Route;
import io.splitroute.query.Ticker;
import io.splitroute.routing.RouteLists;
import io.splitroute.sets.SetWriteStage;
import io.splitroute.unlisted.IpListSet;
import io.splitroute.unlisted.UnlistedConfig;
import io.splitroute.unlisted.UnlistedPlan;
import io.splitroute.unlisted.UnlistedStage;
import io.splitroute.unlisted.VerdictCache;
import io.splitroute.upstream.Upstream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Binds the parts the IP lists give routes: a route's {@code exclude-ips} (for the set stage), and on the route
 * of names no rule matches, the compiled {@code unlisted:} block (for {@link UnlistedStage}).
 */
final class UnlistedParts {
    private UnlistedParts() {}

    /**
     * Returns what adds those parts to the routes of one routing snapshot.
     *
     * @param lists    the lists as loaded (the IP lists are read from it)
     * @param groups   the running upstream groups
     * @param verdicts the server's verdict cache
     */
    static UnaryOperator<Route> binder(SplitrouteConfig config, RouteLists lists, Map<String, Upstream> groups,
                                       VerdictCache verdicts) {
        Map<String, IpRangeTable> tables = new LinkedHashMap<>();
        lists.ipLists().forEach((name, list) -> tables.put(name, list.table()));
        Map<String, IpListSet> excluded = new LinkedHashMap<>();
        for (RouteConfig r : config.routes()) {
            if (!r.excludeIps().isEmpty()) {
                excluded.put(r.name(), IpListSet.of(r.excludeIps(), tables));
            }
        }
        UnlistedConfig unlisted = config.unlisted();
        UnlistedPlan plan = unlisted == null || !groups.containsKey(unlisted.domestic())
                || !groups.containsKey(unlisted.trusted()) ? null
                : new UnlistedPlan(unlisted.domestic(), groups.get(unlisted.domestic()), unlisted.trusted(),
                        groups.get(unlisted.trusted()), IpListSet.of(unlisted.domesticIps(), tables),
                        IpListSet.of(unlisted.poisonIps(), tables), verdicts, config.cache().minTtl(),
                        config.cache().maxTtl());
        return route -> {
            Route bound = route;
            IpListSet exclude = excluded.get(route.name());
            if (exclude != null) {
                bound = bound.with(SetWriteStage.EXCLUDE, exclude);
            }
            if (plan != null && Route.UNLISTED.equals(route.name())) {
                bound = bound.with(UnlistedStage.PLAN, plan);
            }
            return bound;
        };
    }

    /**
     * Puts the verdicts of the restored answers of names on no list back in {@code verdicts}, each for what is
     * left of its answer's lifetime (an answer only servable stale gives none).
     */
    static void rememberVerdicts(List<Map.Entry<CacheKey, CachedReply>> restored, VerdictCache verdicts,
                                 Ticker ticker) {
        long now = ticker.nanos();
        for (Map.Entry<CacheKey, CachedReply> e : restored) {
            CachedReply reply = e.getValue();
            if (reply.verdict() != null && Route.UNLISTED.equals(e.getKey().route()) && reply.isFresh(now)) {
                verdicts.restore(e.getKey().name(), reply.verdict(),
                        reply.lifetimeSeconds() - reply.ageSeconds(now));
            }
        }
    }

    /** Returns the IP lists of a config, name to file, for their meters. */
    static Map<String, Path> ipListFiles(SplitrouteConfig config) {
        Map<String, Path> files = new TreeMap<>();
        config.ipLists().forEach((name, list) -> files.put(name, list.file()));
        return files;
    }

    /** Returns how many verdicts a config keeps (none without {@code unlisted:}). */
    static int verdictCacheSize(SplitrouteConfig config) {
        return config.unlisted() == null ? 0 : config.unlisted().verdictCache();
    }
}
