package io.splitroute.upstream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The upstream meters, in one binder: per server (tags {@code upstream}: the group, {@code server}: its URI)
 * queries, failures, errors by kind, connections and latency; per group whether all its bound servers are
 * failing. On reload ({@link #rebind}) the meters of a group that is still running (unchanged config) stay, so
 * its counters and histogram go on; those of replaced groups go. The upstream README lists every meter.
 */
public final class UpstreamMeters implements MeterBinder {
    /** 50 µs (a local server) to 2 s, as the reply latency: upstream and reply histograms line up. */
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)};
    /** The failure kinds a server counts (a group's ALL_FAILED and a caller's INVALID_QUERY are not per server). */
    private static final List<UpstreamException.Reason> KINDS = List.of(UpstreamException.Reason.TIMEOUT,
            UpstreamException.Reason.UNREACHABLE, UpstreamException.Reason.CONNECTION_CLOSED,
            UpstreamException.Reason.TLS, UpstreamException.Reason.HTTP, UpstreamException.Reason.INTERFACE_DOWN);

    private final Map<Upstream, List<Meter>> bound = new IdentityHashMap<>();
    private Map<String, Upstream> groups;
    private MeterRegistry registry;

    /** @param groups the upstream groups by name */
    public UpstreamMeters(Map<String, Upstream> groups) {
        this.groups = Map.copyOf(groups);
    }

    @Override
    public synchronized void bindTo(MeterRegistry target) {
        this.registry = target;
        groups.values().forEach(this::bindGroup);
    }

    /** After a reload: keeps the meters of groups still running, removes the others', binds the new groups'. */
    public synchronized void rebind(Map<String, Upstream> newGroups) {
        Map<Upstream, Boolean> running = new IdentityHashMap<>();
        newGroups.values().forEach(g -> running.put(g, true));
        bound.entrySet().removeIf(e -> {
            if (running.containsKey(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
        groups = Map.copyOf(newGroups);
        groups.values().stream().filter(g -> !bound.containsKey(g)).forEach(this::bindGroup);
    }

    private void bindGroup(Upstream upstream) {
        if (!(upstream instanceof UpstreamGroup group)) {
            return;
        }
        List<Meter> meters = new ArrayList<>();
        bound.put(group, meters);
        meters.add(Gauge.builder("dns.upstream.bound.failing", group, g -> g.boundAndFailing() ? 1 : 0)
                .description("1 while every server of the group is bound (interface or mark) and failing: the route "
                        + "answers SERVFAIL or stale, never through another upstream")
                .tag("upstream", group.name()).register(registry));
        group.stats().forEach((server, stats) -> bindServer(meters, Tags.of("upstream", group.name(), "server", server), stats));
    }

    private void bindServer(List<Meter> meters, Tags tags, UpstreamStats stats) {
        counter(meters, "dns.upstream.queries", "Queries sent to the upstream server", tags, stats, UpstreamStats::queries);
        counter(meters, "dns.upstream.failures", "Upstream queries that ended without a reply (timeouts included)",
                tags, stats, UpstreamStats::failures);
        counter(meters, "dns.upstream.timeouts", "Upstream queries that timed out", tags, stats, UpstreamStats::timeouts);
        for (UpstreamException.Reason kind : KINDS) {
            counter(meters, "dns.upstream.errors", "Upstream queries that ended without a reply, by kind", tags.and("kind",
                    kind.name().toLowerCase(Locale.ROOT)), stats, s -> s.failures(kind));
        }
        counter(meters, "dns.upstream.dropped.replies", "Upstream replies dropped because they did not match "
                + "the query (wrong source, ID or question: possible spoofing)", tags, stats, UpstreamStats::droppedReplies);
        counter(meters, "dns.upstream.tc.retries", "Truncated UDP replies retried over TCP", tags, stats,
                UpstreamStats::tcRetries);
        counter(meters, "dns.upstream.error.replies", "Upstream replies with rcode SERVFAIL or REFUSED", tags,
                stats, UpstreamStats::errorReplies);
        meters.add(Gauge.builder("dns.upstream.connections", stats, UpstreamStats::openConnections)
                .description("TCP, TLS and HTTPS connections to the upstream server open now").tags(tags).register(registry));
        counter(meters, "dns.upstream.connections.opened", "TCP, TLS and HTTPS connections opened to the upstream "
                + "server (rising fast: connections are not reused)", tags, stats, UpstreamStats::connectionsOpened);
        Timer timer = Timer.builder("dns.upstream.latency")
                .description("Time from sending a query upstream to accepting its reply (TCP retry included)")
                .tags(tags).serviceLevelObjectives(BUCKETS).minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1])
                .distributionStatisticBufferLength(1) // one ring buffer, not three: cheaper per reply
                .register(registry);
        meters.add(timer);
        stats.onLatency(nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
    }

    private void counter(List<Meter> meters, String name, String description, Tags tags, UpstreamStats stats,
                         ToLongFunction<UpstreamStats> value) {
        meters.add(FunctionCounter.builder(name, stats, st -> value.applyAsLong(st)).description(description).tags(tags)
                .register(registry));
    }
}
