package io.splitroute.unlisted;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.splitroute.lists.format.ParsedIpList;
import io.splitroute.query.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The meters of names on no list, in one binder: {@code dns.unlisted.verdicts} (by verdict, and whether it was
 * remembered), {@code dns.unlisted.upstream.queries} (by side) and {@code dns.unlisted.remembered}, counted from
 * the {@link Verdict} each reply carries, so they say what the query log says; and the IP lists' {@code
 * lists.rules} (networks), {@code lists.loaded} and {@code lists.updated.time}, the meters domain lists have,
 * which follow the config on reload ({@link #ipLists}).
 */
public final class UnlistedMeters implements MeterBinder {
    private static final Verdict.Kind[] KINDS = Verdict.Kind.values();

    private final VerdictCache verdicts;
    private final Supplier<Map<String, ParsedIpList>> loaded;
    private final List<Meter> ipListMeters = new ArrayList<>();
    private MeterRegistry registry;
    /** By kind ordinal, then fresh (0) or remembered (1). */
    private final Counter[][] decided = new Counter[KINDS.length][2];
    private Counter domesticQueries;
    private Counter trustedQueries;

    /** @param verdicts the verdict cache, for its size */
    public UnlistedMeters(VerdictCache verdicts) {
        this(verdicts, Map::of);
    }

    /**
     * @param verdicts the verdict cache, for its size
     * @param loaded   the IP lists loaded now (read at each scrape)
     */
    public UnlistedMeters(VerdictCache verdicts, Supplier<Map<String, ParsedIpList>> loaded) {
        this.verdicts = verdicts;
        this.loaded = loaded;
        bindTo(new SimpleMeterRegistry()); // counts before (and without) a real registry, as in tests
    }

    @Override
    public synchronized void bindTo(MeterRegistry newRegistry) {
        this.registry = newRegistry;
        for (Verdict.Kind kind : KINDS) {
            for (int remembered = 0; remembered < 2; remembered++) {
                decided[kind.ordinal()][remembered] = Counter.builder("dns.unlisted.verdicts")
                        .description("Answers to names on no list that came from upstream, by verdict (domestic,"
                                + " foreign, undecided) and whether the verdict came from the verdict cache")
                        .tag("verdict", kind.tag()).tag("remembered", remembered == 1 ? "true" : "false")
                        .register(registry);
            }
        }
        domesticQueries = queries(registry, "domestic");
        trustedQueries = queries(registry, "trusted");
        Gauge.builder("dns.unlisted.remembered", verdicts, VerdictCache::size)
                .description("Names whose verdict is remembered").register(registry);
    }

    /**
     * Registers the meters of the configured IP lists (name to file), replacing those of the config before: at
     * start, after {@link #bindTo}, and after each reload.
     */
    public synchronized void ipLists(Map<String, Path> files) {
        ipListMeters.forEach(registry::remove);
        ipListMeters.clear();
        files.forEach((name, file) -> {
            Tags tags = Tags.of("list", name);
            ipListMeters.add(Gauge.builder("lists.rules", loaded, l -> {
                ParsedIpList list = l.get().get(name);
                return list == null ? 0 : list.prefixCount();
            }).description("Rules loaded from the list").tags(tags).register(registry));
            ipListMeters.add(Gauge.builder("lists.loaded", loaded, l -> l.get().containsKey(name) ? 1 : 0)
                    .description("1 when the list was read at the last (re)load, 0 when it failed").tags(tags)
                    .register(registry));
            if (!file.toString().startsWith("bundled:")) {
                ipListMeters.add(Gauge.builder("lists.updated.time", file, UnlistedMeters::modified)
                        .description("When the list file was last written (the updater replaces it only on success)")
                        .baseUnit("seconds").tags(tags).register(registry));
            }
        });
    }

    private static double modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() / 1000.0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static Counter queries(MeterRegistry registry, String side) {
        return Counter.builder("dns.unlisted.upstream.queries")
                .description("Queries the unlisted stage sent upstream, by side (domestic, trusted)")
                .tag("side", side).register(registry);
    }

    /** Counts one answer and its verdict. */
    void decided(Verdict verdict) {
        decided[verdict.kind().ordinal()][verdict.remembered() ? 1 : 0].increment();
    }

    /** Counts one query sent to the domestic ({@code true}) or the trusted side. */
    void asked(boolean domestic) {
        (domestic ? domesticQueries : trustedQueries).increment();
    }

    /** Returns how many answers got {@code kind}, remembered or not (for tests and the bench). */
    public double count(Verdict.Kind kind, boolean remembered) {
        return decided[kind.ordinal()][remembered ? 1 : 0].count();
    }

    /** Returns how many queries went to the domestic ({@code true}) or the trusted side. */
    public double queries(boolean domestic) {
        return (domestic ? domesticQueries : trustedQueries).count();
    }
}
