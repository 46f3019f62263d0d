package io.splitroute.config;

import io.splitroute.cache.CacheConfig;
import io.splitroute.sets.SetsConfig;
import io.splitroute.upstream.GroupSpec;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, as read from one YAML file: an immutable record tree of slices, one per section
 * ({@code cache:} is {@link CacheConfig}, the kernel-set keys are {@link SetsConfig}, ...). Each component
 * takes only its slice. Defaults and checks live in the slices' records; each section has one reader
 * ({@code *Section}), and {@link ConfigLoader} reports every problem of a file at once.
 *
 * @param source          where it was read from (a path, or {@value ConfigLoader#EMBEDDED})
 * @param listen          addresses to serve on, UDP and TCP on each
 * @param upstreams       the upstream groups by name, in config order, as they run (top-level {@code tls:} and
 *                        {@code bootstrap:} given to the groups that use them)
 * @param routes          routes in priority order (first listed wins ties)
 * @param defaultUpstream the group for names no route matches
 * @param cache           cache limits
 * @param acl             client networks that are answered (CIDR); others get REFUSED
 * @param upstreamTimeout how long one upstream attempt may take before the next server is tried
 * @param tcp             TCP listener limits
 * @param lists           named domain lists that routes refer to
 * @param sets            the kernel sets that routes write answers to, their timeouts and write deadline
 * @param admin           the admin HTTP listener (metrics, health, reload)
 * @param queryLog        the query log (JSON lines), switchable at run time
 * @param upstreamLimits  bounds on pending upstream queries
 */
public record SplitrouteConfig(
        String source,
        List<ListenAddress> listen,
        Map<String, GroupSpec> upstreams,
        List<RouteConfig> routes,
        String defaultUpstream,
        CacheConfig cache,
        List<String> acl,
        Duration upstreamTimeout,
        TcpConfig tcp,
        Map<String, ListConfig> lists,
        SetsConfig sets,
        AdminConfig admin,
        QueryLogConfig queryLog,
        UpstreamLimits upstreamLimits) {

    /** The networks answered when {@code acl} is not given: loopback, RFC 1918, link-local, ULA. */
    public static final List<String> DEFAULT_ACL = List.of(
            "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
            "::1/128", "fc00::/7", "fe80::/10");
    /** The addresses served when {@code listen} is not given. */
    public static final List<ListenAddress> DEFAULT_LISTEN = List.of(ListenAddress.parse("127.0.0.1:53"));
    /** The default {@code upstream-timeout}: long enough for a distant server, short enough to fail over first. */
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofMillis(1500);

    /** Copies the collections so the record is immutable. */
    public SplitrouteConfig {
        listen = List.copyOf(listen);
        upstreams = Collections.unmodifiableMap(new LinkedHashMap<>(upstreams));
        routes = List.copyOf(routes);
        acl = List.copyOf(acl);
        lists = Map.copyOf(lists);
    }
}
