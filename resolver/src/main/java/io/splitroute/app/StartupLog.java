package io.splitroute.app;

import io.splitroute.config.ConfigLoader;
import io.splitroute.config.ListenAddress;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.routing.RouteLists;
import io.splitroute.upstream.Upstream;
import io.splitroute.upstream.UpstreamGroup;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What start-up and reloads log: each list's summary and problems, and the summary of a config in service. */
final class StartupLog {
    /** Logged as the lifecycle's, where operators and scripts have always found these lines. */
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
    private static final int PROBLEMS_SHOWN = 20;

    private StartupLog() {}

    /** Logs each list's summary and its problems ({@code source:line: reason}), at most 20 per list. */
    static void lists(RouteLists loaded) {
        for (var list : loaded.lists().values()) {
            log.info("list {}", list.summary());
            var problems = list.problems();
            problems.stream().limit(PROBLEMS_SHOWN).forEach(p -> log.warn("{}", p));
            if (problems.size() > PROBLEMS_SHOWN) {
                log.warn("{}: {} more problems not shown", list.name(), problems.size() - PROBLEMS_SHOWN);
            }
        }
        loaded.failures().forEach(failure -> log.error("list {}", failure));
    }

    /** Logs what a starting resolver serves: addresses, upstreams, routes, cache, ACL. */
    static void summary(Compiled compiled, String transport) {
        SplitrouteConfig config = compiled.config();
        List<String> listen = config.listen().stream().map(ListenAddress::toString).toList();
        log.info("splitroute starting with {} on {} ({} transport)", config.source(), listen, transport);
        log.info("upstreams: {}", compiled.groups().entrySet().stream()
                .map(e -> e.getKey() + "=" + describe(e.getValue())).collect(Collectors.joining(", ")));
        log.info("routes: {}; {} rules; unmatched names go to {}",
                config.routes().isEmpty() ? "none" : config.routes().stream()
                        .map(r -> r.name() + "->" + r.upstream()).collect(Collectors.joining(", ")),
                compiled.routing().size(), config.defaultUpstream());
        var cache = config.cache();
        log.info("cache: {} entries in {} KiB, TTL {}..{} s, stale {} s, prefetch {}, file {}; clients allowed: {}",
                cache.size(), cache.maxBytes() >> 10, cache.minTtl(), cache.maxTtl(), cache.stale().toSeconds(),
                cache.prefetch() ? "on" : "off", cache.persist() == null ? "none" : cache.persist(), config.acl());
        if (ConfigLoader.EMBEDDED.equals(config.source())) {
            log.info("this is the embedded default config: it forwards everything to the nameservers in "
                    + "/etc/resolv.conf. For a router, start from config/splitroute.yaml in the source tree "
                    + "and run: splitroute run --config /etc/splitroute/splitroute.yaml");
        }
    }

    /** {@code [udp://192.0.2.1:53@wg0, tls://dns.google:853@8.8.8.8 [interface wg0, TLS name dns.google]]}. */
    private static String describe(Upstream upstream) {
        if (upstream instanceof UpstreamGroup group) {
            return group.describe().toString();
        }
        return upstream.name();
    }
}
