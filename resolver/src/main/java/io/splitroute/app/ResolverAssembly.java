package io.splitroute.app;

import io.splitroute.admin.AdminSetup;
import io.splitroute.cache.CacheMeters;
import io.splitroute.cache.CachePersistence;
import io.splitroute.cache.ReplyCache;
import io.splitroute.config.ListenAddress;
import io.splitroute.sets.SetConfig;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.lists.update.ListRefresher;
import io.splitroute.lists.update.ListUpdater;
import io.splitroute.net.NetTransport;
import io.splitroute.pipeline.AaaaFilter;
import io.splitroute.pipeline.AccessControl;
import io.splitroute.pipeline.ChaosResponder;
import io.splitroute.pipeline.ForwarderMeters;
import io.splitroute.pipeline.ListRouter;
import io.splitroute.query.QueryStage;
import io.splitroute.pipeline.ResponseCache;
import io.splitroute.pipeline.UpstreamForwarder;
import io.splitroute.query.Route;
import io.splitroute.routing.RouteLists;
import io.splitroute.routing.Routing;
import io.splitroute.server.DnsServer;
import io.splitroute.server.QueryDispatcher;
import io.splitroute.server.ReplyEncoder;
import io.splitroute.sets.AddressDrops;
import io.splitroute.sets.AddressFilter;
import io.splitroute.sets.AnswerAddresses;
import io.splitroute.sets.AnswerScrubber;
import io.splitroute.sets.Deadlines;
import io.splitroute.sets.RouteSets;
import io.splitroute.sets.SetMeters;
import io.splitroute.sets.SetTimeouts;
import io.splitroute.sets.SetWriteStage;
import io.splitroute.sets.SetWriters;
import io.splitroute.sets.SetsConfig;
import io.splitroute.sets.TimedSetWriter;
import io.splitroute.unlisted.UnlistedMeters;
import io.splitroute.unlisted.UnlistedStage;
import io.splitroute.unlisted.VerdictCache;
import io.splitroute.upstream.ServerSpec;
import io.splitroute.upstream.ServerUpstream;
import io.splitroute.upstream.Upstream;
import io.splitroute.upstream.UpstreamFactory;
import io.splitroute.upstream.UpstreamGroup;
import io.splitroute.upstream.UpstreamMeters;
import io.splitroute.upstream.UpstreamOptions;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The one place that constructs the resolver's parts: {@link #build} for a start, {@link #rebuild} for a
 * reload. Both make a config ready to serve the same way ({@link #compile}: read the lists, log them, make
 * the upstream groups, compile the routing), and {@link #pipeline} orders the query path's stages, one per
 * line. Nothing else constructs stages.
 */
public final class ResolverAssembly {
    private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    private ResolverAssembly() {}

    /**
     * Builds every part of a resolver for {@code config}, in start-up order, without listening yet: the admin
     * side, the set writer (its sets checked), the transport, the upstream groups and routing, the query path,
     * the dispatcher and listeners, and the list refresher.
     *
     * @param onListsUpdated what the refresher calls when it downloaded a changed list (a reload)
     * @throws StartupException when a part cannot be made; the parts made before it are released
     */
    public static Resolver build(SplitrouteConfig config, RunOptions options, Runnable onListsUpdated)
            throws StartupException {
        Resolver resolver = new Resolver(config);
        try {
            buildInto(resolver, config, options, onListsUpdated);
            return resolver;
        } catch (StartupException | RuntimeException | LinkageError e) {
            resolver.close();
            throw e;
        }
    }

    private static void buildInto(Resolver r, SplitrouteConfig config, RunOptions options, Runnable onListsUpdated)
            throws StartupException {
        // The set writer opens on a thread of its own meanwhile; the query path is built after it is ready.
        SetsOpening sets = SetsOpening.start(config, options);
        Compiled compiled;
        try {
            r.admin = AdminSetup.create(config); // its listener starts after DNS answers (Lifecycle.start)
            r.transport = NetTransport.create(Integer.getInteger("splitroute.threads",
                    Runtime.getRuntime().availableProcessors()));
            r.verdicts = new VerdictCache(UnlistedParts.verdictCacheSize(config), options.ticker());
            try {
                compiled = compile(config, r.transport, null, Map.of(), r.verdicts);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new StartupException(e.getMessage()); // an upstream that cannot be set up, with the group's name
            }
        } catch (StartupException | RuntimeException | LinkageError e) {
            sets.abandon();
            throw e;
        }
        SetsOpening.Opened opened = sets.join();
        r.setWriter = new TimedSetWriter(opened.writer(), config.sets().sets(), r.admin.registry());
        if (!opened.problems().isEmpty()) {
            throw new StartupException(String.join("\n  ", opened.problems()));
        }
        checkNoLoop(config, compiled.groups());
        r.groups = compiled.groups();
        r.lists = compiled.lists();
        r.routing.set(compiled.routing());
        r.dispatcher = new QueryDispatcher(pipeline(r, config, options), new ReplyEncoder(options.ticker()));
        // Before listening: the cache file's answers back in the cache, and their addresses in the sets.
        r.persistence = restoreCache(r, config, options);
        r.server = new DnsServer(r.transport, r.dispatcher, config.tcp(), config.acl());
        r.setMeters = new SetMeters(r.setWrites, r.setWriter, config.sets().sets());
        r.setMeters.bindTo(r.admin.registry());
        r.admin.watchSets(r.setMeters::fullSets);
        r.unlistedMeters.bindTo(r.admin.registry());
        r.unlistedMeters.ipLists(UnlistedParts.ipListFiles(config));
        r.upstreamMeters = new UpstreamMeters(r.groups);
        r.upstreamMeters.bindTo(r.admin.registry());
        DnsServer listeners = r.server;
        r.admin.attach(r.dispatcher, r.cache.store().caffeine(), r.groups, r.lists, listeners::boundAddresses);
        r.admin.bindTcp(listeners.tcpStats());
        new CacheMeters(r.cache.store(), r.persistence).bindTo(r.admin.registry());
        StartupLog.summary(compiled, r.transport.name());
        // Lists with refresh: are downloaded in the background; an update reloads like SIGHUP does.
        r.refresher = ListRefresher.start(new ListUpdater(), () -> RouteLists.sources(r.config), onListsUpdated);
    }

    /**
     * The query path, one stage per line, each handing on to the next; the why of each position is beside it.
     * Sets the stages the resolver keeps (cache, set writes) and returns the first.
     */
    private static QueryStage pipeline(Resolver r, SplitrouteConfig config, RunOptions options) {
        UpstreamForwarder forwarder = new UpstreamForwarder(() -> r.config().upstreamLimits().maxPending());
        new ForwarderMeters(forwarder).bindTo(r.admin.registry());
        // Names on no list (unlisted:) ask two groups here, below the cache, so only misses do; the cache keeps
        // the answer the verdict chose with its verdict, which the set stage above reads on every hit. Both
        // sides are sent through the forwarder, so they count against upstream-max-pending.
        r.unlistedMeters = new UnlistedMeters(r.verdicts, () -> r.lists.ipLists());
        QueryStage unlisted = new UnlistedStage(r.unlistedMeters, forwarder::send, forwarder);
        AddressDrops drops = new AddressDrops();
        // Right above the upstream side: an answer loses the address records its question did not earn before
        // anything (the cache, a client, a set write) sees it; the answer a verdict chose too.
        QueryStage scrubber = new AnswerScrubber(drops, unlisted);
        // Below the cache, so the cache keeps answers already stripped of IPv6 on routes that drop it (and
        // aaaa: drop answers AAAA on the unlisted route without asking either side).
        QueryStage aaaaFilter = new AaaaFilter(scrubber);
        // The cache sits below the router: its key includes the route, so one name routed two ways
        // (before and after a reload) never shares an entry.
        r.cache = new ResponseCache(new ReplyCache(config.cache(), options.ticker()), options.ticker(),
                AnswerAddresses::all, aaaaFilter);
        // Above the cache, so answers served from the cache refresh their set entries too.
        r.setWrites = new SetWriteStage(r.setWriter, new SetTimeouts(config.sets().timeout()),
                config.sets().writeDeadline(), addressFilter(config), drops, options.ticker(), Deadlines.JDK, r.cache);
        QueryStage router = new ListRouter(r.routing::get, r.setWrites);
        // CHAOS queries (version.bind, route explanations) are answered here and never forwarded.
        QueryStage chaos = new ChaosResponder(options.version(), r.routing::get, RESOLV_CONF, router);
        // Access control first: a client outside the ACL costs nothing more than this check.
        return new AccessControl(config.acl(), chaos);
    }

    /** Returns what the set stage lets through for {@code config}: never-route (its own listen addresses too), the cap. */
    static AddressFilter addressFilter(SplitrouteConfig config) {
        return AddressFilter.of(config.sets(), config.listen().stream().map(ListenAddress::address).toList());
    }

    /**
     * Makes the cache file's side: reads the file the config names into the cache, puts the verdicts of restored
     * names on no list back in the verdict cache, and writes the restored addresses to their sets in one batch per set, then saves every {@link CachePersistence#SAVE_EVERY} to the
     * file named by the config in service at that time.
     */
    private static CachePersistence restoreCache(Resolver r, SplitrouteConfig config, RunOptions options) {
        CachePersistence persistence = new CachePersistence(r.cache.store(), options.ticker(), options.wall(),
                new CacheRoutes(r.routing::get), AnswerAddresses::all);
        Path file = config.cache().persist();
        if (file != null) {
            CachePersistence.Restored restored = persistence.load(file);
            UnlistedParts.rememberVerdicts(restored.entries(), r.verdicts, options.ticker());
            CacheRestore.writeSets(restored.entries(), r.routing.get(), new SetTimeouts(config.sets().timeout()),
                    addressFilter(config), r.setWriter, options.ticker());
        }
        persistence.saveEvery(CachePersistence.SAVE_EVERY, () -> r.config.cache().persist());
        return persistence;
    }

    /**
     * Makes {@code next} ready to replace what {@code running} serves, or says why it cannot: a list that
     * cannot be read, sets added to a resolver that opened no set writer, a set that is not usable. Running
     * upstream groups whose servers and timeout are unchanged are reused (their TCP connections stay open).
     */
    static Rebuilt rebuild(SplitrouteConfig next, Resolver running) {
        SplitrouteConfig before = running.config();
        Compiled compiled;
        try {
            compiled = compile(next, running.transport, before, running.groups, running.verdicts);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return Rebuilt.rejected(List.of(e.getMessage()));
        }
        if (!compiled.lists().failures().isEmpty()) {
            return Rebuilt.rejected(compiled.lists().failures().stream().map(f -> "list " + f).toList());
        }
        if (!next.sets().isEmpty() && SetWriters.writesNothing(running.setWriter)) {
            return Rebuilt.rejected(List.of("sets were added: restart splitroute to open the kernel set writer"));
        }
        List<String> setProblems = RouteSets.prepare(next.sets(), next.source(), running.setWriter);
        if (!setProblems.isEmpty()) {
            return Rebuilt.rejected(setProblems);
        }
        List<String> warnings = new ArrayList<>();
        if (!next.listen().equals(before.listen()) || !next.tcp().equals(before.tcp())
                || !next.acl().equals(before.acl())) {
            warnings.add("listen, tcp and acl changes need a restart; still serving " + before.listen());
        }
        return new Rebuilt(compiled, List.of(), warnings);
    }

    /**
     * What a reload would put in service.
     *
     * @param compiled the new config made ready, or {@code null} when rejected
     * @param problems why it was rejected (empty when not)
     * @param warnings what it cannot change without a restart
     */
    record Rebuilt(Compiled compiled, List<String> problems, List<String> warnings) {
        static Rebuilt rejected(List<String> problems) {
            return new Rebuilt(null, problems, List.of());
        }
    }

    /**
     * Makes a config ready to serve, as start and reload both do: reads its lists and logs them, makes its
     * upstream groups (reusing a running group whose servers and timeout are unchanged), compiles the routing
     * and binds each route to its group and sets.
     *
     * @param before   the config in service, or {@code null} at start
     * @param running  the upstream groups in service (empty at start)
     * @param verdicts the server's verdict cache, which the unlisted route's plan refers to
     */
    static Compiled compile(SplitrouteConfig config, NetTransport transport, SplitrouteConfig before,
                            Map<String, Upstream> running, VerdictCache verdicts) {
        RouteLists.Table table = RouteLists.load(config);
        StartupLog.lists(table);
        Map<String, Upstream> groups = upstreams(config, transport, before, running);
        UnaryOperator<Route> parts = bind(groups, config.sets());
        UnaryOperator<Route> ipParts = UnlistedParts.binder(config, table.lists(), groups, verdicts);
        Routing routing = Routing.of(config, table.table(), route -> ipParts.apply(parts.apply(route)));
        return new Compiled(config, table.lists(), groups, routing);
    }

    /**
     * Returns what binds each route of a routing snapshot to the running parts its names refer to: the upstream
     * group (for {@link UpstreamForwarder}) and the sets (for {@link SetWriteStage}).
     */
    static UnaryOperator<Route> bind(Map<String, Upstream> groups, SetsConfig sets) {
        return route -> {
            Route bound = route;
            Upstream group = groups.get(route.upstream());
            if (group != null) {
                bound = bound.with(UpstreamForwarder.GROUP, group);
            }
            if (!route.sets().isEmpty()) {
                bound = bound.with(SetWriteStage.SETS, route.sets().stream().map(sets::get).toList());
            }
            return bound;
        };
    }

    /**
     * Creates the upstream groups of a config, reusing the running group of a name whose spec (servers,
     * binding, TLS options, method, bootstrap servers) and timeout are unchanged since {@code before}: its
     * connections stay open. A replaced group is closed by {@link Resolver#swap} once the reload is applied.
     *
     * @throws IllegalArgumentException naming the group, if one cannot be set up (binding without epoll, ...)
     * @throws UncheckedIOException if {@code system} is listed and resolv.conf cannot be read
     */
    static Map<String, Upstream> upstreams(SplitrouteConfig config, NetTransport transport, SplitrouteConfig before,
                                           Map<String, Upstream> running) {
        UpstreamOptions options = new UpstreamOptions(config.upstreamTimeout(), transport, RESOLV_CONF);
        UpstreamFactory factory = new UpstreamFactory();
        Map<String, Upstream> groups = new LinkedHashMap<>();
        config.upstreams().forEach((name, spec) -> {
            boolean same = before != null && running.containsKey(name) && spec.equals(before.upstreams().get(name))
                    && config.upstreamTimeout().equals(before.upstreamTimeout());
            groups.put(name, same ? running.get(name) : factory.group(spec, options));
        });
        return groups;
    }

    /**
     * Refuses an upstream that is splitroute itself (typically "system" with 127.0.0.1 in resolv.conf): any
     * server of a group, tls:// and https:// included, and the bootstrap servers that look names up for them.
     */
    private static void checkNoLoop(SplitrouteConfig config, Map<String, Upstream> upstreams) throws StartupException {
        for (Map.Entry<String, Upstream> group : upstreams.entrySet()) {
            if (!(group.getValue() instanceof UpstreamGroup g)) {
                continue;
            }
            List<Upstream> servers = new ArrayList<>(g.servers());
            if (g.bootstrap() instanceof UpstreamGroup bootstrap) {
                servers.addAll(bootstrap.servers());
            }
            for (Upstream server : servers) {
                ServerSpec spec = server instanceof ServerUpstream s ? s.spec() : null;
                for (ListenAddress listen : config.listen()) {
                    if (spec != null && spec.ip() != null && spec.port() == listen.port()
                            && (spec.ip().equals(listen.address()) || listen.address().isAnyLocalAddress())) {
                        throw new StartupException("upstream group " + group.getKey() + " contains " + server.name()
                                + (g.servers().contains(server) ? "" : " (a bootstrap server)")
                                + ", which is splitroute itself (listen " + listen + "): queries would loop. If it came "
                                + "from \"system\" (/etc/resolv.conf), name the real upstream servers instead");
                    }
                }
            }
        }
    }
}
