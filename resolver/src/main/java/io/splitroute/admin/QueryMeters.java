package io.splitroute.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.Source;
import io.splitroute.query.Transport;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Rcode;

/**
 * The per-query meters, {@code dns.queries} and {@code dns.reply.latency}, updated for every finished
 * query. Counters are created on first use of a tag combination and kept in a map keyed by a small
 * record, so a query costs one map lookup, one increment and one timer record: no string building.
 */
final class QueryMeters {
    /** The {@code route} tag of queries that never reached the router (refused, CHAOS, malformed). */
    static final String NO_ROUTE = "none";
    /** Highest rcode given its own tag value; others are counted as {@code OTHER}. */
    private static final int MAX_NAMED_RCODE = 23;

    private final MeterRegistry registry;
    /** Per route name, the counters indexed by {@link #index}: no key object is built per query. */
    private final ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicReferenceArray<Counter>> queries =
            new ConcurrentHashMap<>();
    private static final int RCODES = MAX_NAMED_RCODE + 2;
    private final Timer[] latency = new Timer[Source.values().length];
    private static final String[] SOURCE_TAGS = lowerNames(Source.values());
    private static final String[] TRANSPORT_TAGS = lowerNames(Transport.values());

    private record Key(String route, Source source, int rcode, Transport transport) {}

    QueryMeters(MeterRegistry registry) {
        this.registry = registry;
        for (Source source : Source.values()) {
            latency[source.ordinal()] = LatencyBuckets.timer("dns.reply.latency")
                    .description("Time from receiving a query to handing its reply to the transport")
                    .tag("source", SOURCE_TAGS[source.ordinal()])
                    .register(registry);
        }
    }

    /** Counts one finished query. */
    void record(Query query, Resolution resolution, long nanos) {
        Route route = resolution.route() != null ? resolution.route() : query.route();
        int rcode = Math.min(resolution.rcode(), MAX_NAMED_RCODE + 1);
        String routeName = route == null ? NO_ROUTE : route.name();
        var counters = queries.get(routeName);
        if (counters == null) {
            counters = queries.computeIfAbsent(routeName,
                    r -> new java.util.concurrent.atomic.AtomicReferenceArray<>(Source.values().length * RCODES * 2));
        }
        Source source = resolution.source();
        Transport transport = query.transport();
        int index = (source.ordinal() * RCODES + rcode) * 2 + transport.ordinal();
        Counter counter = counters.get(index);
        if (counter == null) {
            counter = counter(new Key(routeName, source, rcode, transport));
            counters.compareAndSet(index, null, counter);
        }
        counter.increment();
        latency[resolution.source().ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(Key key) {
        return Counter.builder("dns.queries")
                .description("Queries answered, by route, where the answer came from, rcode and client transport")
                .tag("route", key.route())
                .tag("source", SOURCE_TAGS[key.source().ordinal()])
                .tag("rcode", key.rcode() > MAX_NAMED_RCODE ? "OTHER" : Rcode.string(key.rcode()))
                .tag("transport", TRANSPORT_TAGS[key.transport().ordinal()])
                .register(registry);
    }

    private static String[] lowerNames(Enum<?>[] values) {
        String[] names = new String[values.length];
        for (Enum<?> value : values) {
            names[value.ordinal()] = value.name().toLowerCase(Locale.ROOT);
        }
        return names;
    }
}
