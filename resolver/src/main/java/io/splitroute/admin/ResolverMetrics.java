package io.splitroute.admin;

import com.github.benmanes.caffeine.cache.Cache;
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
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The resolver's meters, in one binder: queries and reply latency, the message counters of the listeners,
 * the response cache and domain lists (the kernel sets and the upstreams have their own binders,
 * {@link io.splitroute.sets.SetMeters} and {@link io.splitroute.upstream.UpstreamMeters}). Tags come only from
 * small fixed sets (route, source, rcode, transport, list names from the config); never a query name or a
 * client address. The module README lists every meter.
 */
public final class ResolverMetrics implements MeterBinder {
    private final QueryDispatcher dispatcher;
    private final Cache<?, ?> cache;
    private final List<Meter> swappable = new ArrayList<>();
    private volatile Map<String, ListConfig> listConfigs;
    private volatile Supplier<RouteLists> lists;
    private volatile QueryMeters queryMeters;

    /**
     * @param dispatcher  the query dispatcher (message counters)
     * @param cache       the response cache
     * @param listConfigs the configured lists by name
     * @param lists       the lists as loaded now
     */
    public ResolverMetrics(QueryDispatcher dispatcher, Cache<?, ?> cache, Map<String, ListConfig> listConfigs,
                           Supplier<RouteLists> lists) {
        this.dispatcher = dispatcher;
        this.cache = cache;
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

    /** After a reload: replaces the meters of lists with those of the new config. */
    public synchronized void rebind(MeterRegistry registry, Map<String, ListConfig> newListConfigs,
                                    Supplier<RouteLists> newLists) {
        swappable.forEach(registry::remove);
        swappable.clear();
        listConfigs = Map.copyOf(newListConfigs);
        lists = newLists;
        bindSwappable(registry);
    }

    private synchronized void bindSwappable(MeterRegistry registry) {
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

    private void gauge(MeterRegistry registry, String name, String description, Tags tags,
                       ToDoubleFunction<ResolverMetrics> value) {
        swappable.add(Gauge.builder(name, this, value).description(description).tags(tags).register(registry));
    }
}
