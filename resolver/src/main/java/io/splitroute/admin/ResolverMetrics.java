package io.splitroute.admin;

import com.github.benmanes.caffeine.cache.AsyncCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.splitroute.config.ListConfig;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.routing.RouteLists;
import io.splitroute.server.Malformed;
import io.splitroute.server.QueryDispatcher;
import io.splitroute.upstream.Upstream;
import io.splitroute.upstream.UpstreamGroup;
import io.splitroute.upstream.UpstreamStats;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The resolver's meters, in one binder: queries and reply latency, the message counters of the listeners,
 * upstream servers, the response cache and domain lists (the kernel sets have their own binder,
 * {@link io.splitroute.sets.SetMeters}). Tags come only from small fixed sets (route, source, rcode,
 * transport, upstream group and server, list names from the config); never a query name or a client
 * address. The module README lists every meter.
 */
public final class ResolverMetrics implements MeterBinder {
    private final QueryDispatcher dispatcher;
    private final AsyncCache<?, ?> cache;
    private final List<Meter> swappable = new ArrayList<>();
    private volatile Map<String, Upstream> upstreams;
    private volatile Map<String, ListConfig> listConfigs;
    private volatile Supplier<RouteLists> lists;
    private volatile QueryMeters queryMeters;

    /**
     * @param dispatcher  the query dispatcher (message counters)
     * @param cache       the response cache
     * @param upstreams   the upstream groups by name
     * @param listConfigs the configured lists by name
     * @param lists       the lists as loaded now
     */
    public ResolverMetrics(QueryDispatcher dispatcher, AsyncCache<?, ?> cache, Map<String, Upstream> upstreams,
                           Map<String, ListConfig> listConfigs, Supplier<RouteLists> lists) {
        this.dispatcher = dispatcher;
        this.cache = cache;
        this.upstreams = Map.copyOf(upstreams);
        this.listConfigs = Map.copyOf(listConfigs);
        this.lists = lists;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bindServer(registry);
        CaffeineCacheMetrics.monitor(registry, cache, "dns.cache");
        bindSwappable(registry);
        queryMeters = new QueryMeters(registry);
    }

    /**
     * After a reload: replaces the meters of upstream servers and lists with those of the new config (a
     * group that was rebuilt has new counters; Prometheus sees a counter reset).
     */
    public synchronized void rebind(MeterRegistry registry, Map<String, Upstream> newUpstreams,
                                    Map<String, ListConfig> newListConfigs, Supplier<RouteLists> newLists) {
        swappable.forEach(registry::remove);
        swappable.clear();
        upstreams = Map.copyOf(newUpstreams);
        listConfigs = Map.copyOf(newListConfigs);
        lists = newLists;
        bindSwappable(registry);
    }

    private synchronized void bindSwappable(MeterRegistry registry) {
        upstreams.values().forEach(upstream -> bindUpstream(registry, upstream));
        listConfigs.values().forEach(list -> bindList(registry, list));
    }

    /** Counts one finished query (the dispatcher's completion listener calls this). */
    public void record(Query query, Resolution resolution, long nanos) {
        QueryMeters meters = queryMeters;
        if (meters != null) {
            meters.record(query, resolution, nanos);
        }
    }

    private void bindServer(MeterRegistry registry) {
        for (Malformed reason : Malformed.values()) {
            FunctionCounter.builder("dns.malformed", dispatcher, d -> d.malformed(reason)).tag("reason", reason.tag())
                    .description("Malformed messages by reason: answered FORMERR (NOTIMP for an opcode other than QUERY) "
                            + "or, for a response or a message shorter than a header, dropped").register(registry);
        }
        FunctionCounter.builder("dns.dropped", dispatcher, QueryDispatcher::dropped)
                .description("Messages dropped unanswered (unreadable header, or a response sent to the server)")
                .register(registry);
        Gauge.builder("dns.inflight", dispatcher, QueryDispatcher::inFlight)
                .description("Queries being resolved now").register(registry);
    }

    private void bindUpstream(MeterRegistry registry, Upstream upstream) {
        if (!(upstream instanceof UpstreamGroup group)) {
            return;
        }
        group.stats().forEach((server, stats) -> {
            Tags tags = Tags.of("upstream", group.name(), "server", server);
            counter(registry, "dns.upstream.queries", "Queries sent to the upstream server", tags, stats, UpstreamStats::queries);
            counter(registry, "dns.upstream.failures", "Upstream queries that ended without a reply (timeouts included)",
                    tags, stats, UpstreamStats::failures);
            counter(registry, "dns.upstream.timeouts", "Upstream queries that timed out", tags, stats, UpstreamStats::timeouts);
            counter(registry, "dns.upstream.dropped.replies", "Upstream replies dropped because they did not match "
                    + "the query (wrong source, ID or question: possible spoofing)", tags, stats, UpstreamStats::droppedReplies);
            counter(registry, "dns.upstream.tc.retries", "Truncated UDP replies retried over TCP", tags, stats,
                    UpstreamStats::tcRetries);
            counter(registry, "dns.upstream.error.replies", "Upstream replies with rcode SERVFAIL or REFUSED", tags,
                    stats, UpstreamStats::errorReplies);
            var timer = LatencyBuckets.timer("dns.upstream.latency")
                    .description("Time from sending a query upstream to accepting its reply (TCP retry included)")
                    .tags(tags).register(registry);
            swappable.add(timer);
            stats.onLatency(nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
        });
    }

    private void bindList(MeterRegistry registry, ListConfig list) {
        Tags tags = Tags.of("list", list.name());
        gauge(registry, "lists.rules", "Rules loaded from the list", tags, m -> {
            var parsed = m.lists.get().lists().get(list.name());
            return parsed == null ? 0 : parsed.ruleCount();
        });
        gauge(registry, "lists.loaded", "1 when the list was read at the last (re)load, 0 when it failed", tags,
                m -> m.lists.get().lists().containsKey(list.name()) ? 1 : 0);
        if (!list.file().toString().equals(RouteLists.BUNDLED_GFWLIST)) {
            swappable.add(Gauge.builder("lists.updated.time", this, m -> modified(list))
                    .description("When the list file was last written (the updater replaces it only on success)")
                    .baseUnit("seconds").tags(tags).register(registry));
        }
    }

    private static double modified(ListConfig list) {
        try {
            return Files.getLastModifiedTime(list.file()).toMillis() / 1000.0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private <T> void counter(MeterRegistry registry, String name, String description, Tags tags, T state,
                             ToLongFunction<T> value) {
        swappable.add(FunctionCounter.builder(name, state, s -> value.applyAsLong(s)).description(description)
                .tags(tags).register(registry));
    }

    private void gauge(MeterRegistry registry, String name, String description, Tags tags,
                       ToDoubleFunction<ResolverMetrics> value) {
        swappable.add(Gauge.builder(name, this, value).description(description).tags(tags).register(registry));
    }
}
