package io.splitroute.config;

import io.splitroute.query.AaaaPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, as read from one YAML file: an immutable record tree. Each component takes only
 * its slice. Defaults and checks live in {@link ConfigLoader}; a value here is always valid.
 *
 * @param source          where it was read from (a path, or {@value ConfigLoader#EMBEDDED})
 * @param listen          addresses to serve on, UDP and TCP on each
 * @param upstreams       named upstream groups, each a list of {@code udp://}, {@code tcp://} or {@code system}
 * @param routes          routes in priority order (first listed wins ties)
 * @param defaultUpstream the group for names no route matches
 * @param cache           cache limits
 * @param acl             client networks that are answered (CIDR); others get REFUSED
 * @param upstreamTimeout how long one upstream attempt may take before the next server is tried
 * @param tcp             TCP listener limits
 * @param lists           named domain lists that routes refer to
 * @param sets            named kernel sets that routes write answers to
 * @param setTimeout      bounds and grace for the timeout of set elements
 * @param setWriteDeadline how long a reply waits for the kernel to acknowledge its set writes
 * @param admin           the admin HTTP listener (metrics, health, reload)
 * @param queryLog        the query log (JSON lines), switchable at run time
 */
public record SplitrouteConfig(
        String source,
        List<ListenAddress> listen,
        Map<String, List<String>> upstreams,
        List<RouteConfig> routes,
        String defaultUpstream,
        CacheConfig cache,
        List<String> acl,
        Duration upstreamTimeout,
        TcpConfig tcp,
        Map<String, ListConfig> lists,
        Map<String, SetConfig> sets,
        SetTimeout setTimeout,
        Duration setWriteDeadline,
        AdminConfig admin,
        QueryLogConfig queryLog) {

    /** The networks answered when {@code acl} is not given: loopback, RFC 1918, link-local, ULA. */
    public static final List<String> DEFAULT_ACL = List.of(
            "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
            "::1/128", "fc00::/7", "fe80::/10");

    /** Copies the collections so the record is immutable. */
    public SplitrouteConfig {
        listen = List.copyOf(listen);
        upstreams = Map.copyOf(upstreams);
        routes = List.copyOf(routes);
        acl = List.copyOf(acl);
        lists = Map.copyOf(lists);
        sets = Map.copyOf(sets);
    }

    /**
     * One route: names matched by its domains or lists go to its upstream group.
     *
     * @param name     the route's name, shown by {@code check} and in metrics
     * @param domains  inline domains (each matches itself and its subdomains)
     * @param lists    names of entries of {@code lists:}
     * @param upstream the upstream group
     * @param sets     names of entries of {@code sets:} that answers on this route are written to
     * @param aaaa     what the route does with IPv6 addresses in answers
     * @param line     the line of the route in the config file
     */
    public record RouteConfig(String name, List<String> domains, List<String> lists, String upstream,
                              List<String> sets, AaaaPolicy aaaa, int line) {
        /** Copies the lists. */
        public RouteConfig {
            domains = List.copyOf(domains);
            lists = List.copyOf(lists);
            sets = List.copyOf(sets);
        }
    }

    /**
     * Timeouts of set elements: the record's remaining TTL (or the cache's remaining lifetime, if longer)
     * plus {@code grace}, clamped to {@code [min, max]}.
     *
     * @param min   shortest timeout
     * @param max   longest timeout
     * @param grace added to the remaining TTL, so a client that connects late still finds the entry
     */
    public record SetTimeout(Duration min, Duration max, Duration grace) {
        /** The defaults: 300 s to 86400 s, 60 s grace. */
        public static final SetTimeout DEFAULT = new SetTimeout(Duration.ofSeconds(300), Duration.ofSeconds(86_400),
                Duration.ofSeconds(60));
    }

    /**
     * Cache limits.
     *
     * @param size   most entries kept
     * @param minTtl lowest TTL (seconds) an answer is cached for
     * @param maxTtl highest TTL (seconds) an answer is cached for
     */
    public record CacheConfig(long size, long minTtl, long maxTtl) {
        /** The defaults: 20000 entries, TTLs between 0 and 86400 seconds. */
        public static final CacheConfig DEFAULT = new CacheConfig(20_000, 0, 86_400);
    }

    /**
     * TCP listener limits.
     *
     * @param idleTimeout    an idle client connection is closed after this long
     * @param maxConnections most client connections open at once; more are closed at once
     */
    public record TcpConfig(Duration idleTimeout, int maxConnections) {
        /** The defaults: 10 s idle timeout, 256 connections. */
        public static final TcpConfig DEFAULT = new TcpConfig(Duration.ofSeconds(10), 256);
    }

    /**
     * One domain list.
     *
     * @param name   the list's name, used in routes
     * @param file   where the list is read from
     * @param url    where the updater downloads it from, or {@code null}
     * @param format    {@code gfwlist}, {@code dnsmasq}, {@code domains}, {@code v2fly}, or {@code null} to detect
     * @param refresh   how often the running server downloads it itself, or {@code null} (cron does it)
     * @param minRules  a download with fewer rules is rejected
     * @param maxShrink a download smaller than this fraction of the current copy's rules is rejected
     * @param line      the line of the list in the config file
     */
    public record ListConfig(String name, java.nio.file.Path file, String url, String format, Duration refresh,
                             int minRules, double maxShrink, int line) {
        /** Default {@code min-rules}: a list this short is almost surely a broken download. */
        public static final int DEFAULT_MIN_RULES = 10;
        /** Default {@code max-shrink}: a download under half the current rule count is rejected. */
        public static final double DEFAULT_MAX_SHRINK = 0.5;
    }

    /**
     * The admin HTTP listener: {@code admin: { listen: "127.0.0.1:9153" }}, or {@code admin: off}.
     *
     * @param listen   where it listens, or {@code null} when off
     * @param explicit whether the config named the address (then failing to bind it stops start-up; the
     *                 default address, when taken, only costs a warning)
     */
    public record AdminConfig(ListenAddress listen, boolean explicit) {
        /** The default: 127.0.0.1:9153, not named in the config. */
        public static final AdminConfig DEFAULT = new AdminConfig(ListenAddress.parse("127.0.0.1:9153"), false);
        /** No admin listener. */
        public static final AdminConfig OFF = new AdminConfig(null, true);
    }

    /**
     * The query log: {@code query-log: { enabled: false, file: /var/log/splitroute/queries.jsonl }}, or
     * {@code query-log: on} (to stderr).
     *
     * @param enabled whether it logs from the start (it can be switched at run time)
     * @param file    where the JSON lines go, or {@code null} for stderr
     */
    public record QueryLogConfig(boolean enabled, java.nio.file.Path file) {
        /** The default: off, to stderr when switched on. */
        public static final QueryLogConfig DEFAULT = new QueryLogConfig(false, null);
    }
}
