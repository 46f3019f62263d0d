package io.splitroute.app;

import io.netty.util.internal.ThreadExecutorMap;
import io.splitroute.admin.AdminSetup;
import io.splitroute.config.ConfigLoader;
import io.splitroute.config.ListenAddress;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.net.NetTransport;
import io.splitroute.routing.RouteLists;
import io.splitroute.routing.Routing;
import io.splitroute.server.DnsServer;
import io.splitroute.sets.RouteSets;
import io.splitroute.sink.InlineSetWriter;
import io.splitroute.sink.NoopSetWriter;
import io.splitroute.sink.RecordingSetWriter;
import io.splitroute.sink.SetWriter;
import io.splitroute.server.QueryDispatcher;
import io.splitroute.upstream.Upstream;
import java.net.BindException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Starts the parts in order and stops them in reverse: transport, upstreams, pipeline, listeners. On
 * SIGTERM or SIGINT it stops listening, lets the queries in flight finish, and exits 0.
 */
public final class Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
    private static final long DRAIN_MILLIS = 5_000;

    /** The version line of a build without a jar manifest (tests, the IDE). */
    public static final String DEVELOPMENT_VERSION = "splitroute (development build)";

    private final String version;
    private volatile SplitrouteConfig config;
    private final java.nio.file.Path configFile;
    private final boolean dryRun;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private SetWriter setWriter;
    private NetTransport transport;
    private DnsServer server;
    private QueryDispatcher dispatcher;
    private ResolverAssembly assembly;
    private AdminSetup admin;
    private volatile RouteLists lists;
    private Map<String, Upstream> groups = Map.of();
    private io.splitroute.lists.update.ListRefresher refresher;

    /** @param config the config to run */
    public Lifecycle(SplitrouteConfig config) {
        this(config, false);
    }

    /**
     * @param config the config to run
     * @param dryRun record set writes in memory (and log them) instead of writing to the kernel
     */
    public Lifecycle(SplitrouteConfig config, boolean dryRun) {
        this(config, null, dryRun);
    }

    /**
     * @param config     the config to run
     * @param configFile where {@code config} was read, re-read on reload ({@code null}: the embedded default)
     * @param dryRun     record set writes in memory (and log them) instead of writing to the kernel
     */
    public Lifecycle(SplitrouteConfig config, java.nio.file.Path configFile, boolean dryRun) {
        this(config, configFile, dryRun, DEVELOPMENT_VERSION);
    }

    /**
     * @param config     the config to run
     * @param configFile where {@code config} was read, re-read on reload ({@code null}: the embedded default)
     * @param dryRun     record set writes in memory (and log them) instead of writing to the kernel
     * @param version    the version line {@code version.bind} answers
     */
    public Lifecycle(SplitrouteConfig config, java.nio.file.Path configFile, boolean dryRun, String version) {
        this.version = version;
        this.config = config;
        this.configFile = configFile;
        this.dryRun = dryRun;
    }

    /** Starts, waits for SIGTERM/SIGINT, stops; returns the process exit status. */
    public int runUntilStopped() {
        try {
            start();
        } catch (StartupException e) {
            log.error("cannot start: {}", e.getMessage());
            stop();
            return 1;
        } catch (RuntimeException | LinkageError e) {
            // Never linger half-started (the admin listener up, no DNS): say why and exit non-zero.
            log.error("cannot start: unexpected failure", e);
            stop();
            return 1;
        }
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("HUP"), signal -> Thread.ofPlatform().name("reload").start(this::reload));
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("USR1"), signal -> admin.toggleQueryLog());
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stopping: no new queries; finishing {} in flight", dispatcher.inFlight());
        stop();
        log.info("stopped");
        return 0;
    }

    /** Starts every part; returns once listening (or waiting for addresses to appear). */
    public void start() throws StartupException {
        try {
            admin = AdminSetup.start(config);
        } catch (java.io.IOException e) {
            throw new StartupException(e.getMessage());
        }
        setWriter = admin.timed(setWriter());
        List<String> setProblems = RouteSets.prepare(config, setWriter);
        if (!setProblems.isEmpty()) {
            throw new StartupException(String.join("\n  ", setProblems));
        }
        transport = NetTransport.create(Integer.getInteger("splitroute.threads", Runtime.getRuntime().availableProcessors()));
        Map<String, Upstream> upstreams = ResolverAssembly.upstreams(config, transport);
        checkNoLoop(upstreams);
        RouteLists loaded = RouteLists.load(config);
        logLists(loaded);
        Routing routing = Routing.compile(config, loaded.rules(), ResolverAssembly.bind(upstreams, config.sets()));
        groups = upstreams;
        lists = withoutRules(loaded);
        assembly = new ResolverAssembly(config, routing, setWriter, version);
        dispatcher = new QueryDispatcher(assembly.pipeline(), new io.splitroute.server.ReplyEncoder(io.splitroute.query.Ticker.SYSTEM));
        server = new DnsServer(transport, dispatcher, config.tcp());
        admin.attach(dispatcher, assembly.cache().cache(), assembly.setWrites(), upstreams, setWriter, lists, server);
        admin.onReload(() -> {
            ReloadResult result = reload();
            if (!result.applied()) {
                throw new io.splitroute.admin.ReloadHook.ReloadException(String.join("\n", result.problems()));
            }
            return result.summary();
        });
        logSummary(upstreams, routing);
        try {
            server.start(config.listen());
        } catch (BindException e) {
            throw new StartupException(e.getMessage());
        }
        // Lists with refresh: are downloaded in the background; an update reloads like SIGHUP does.
        refresher = io.splitroute.lists.update.ListRefresher.start(new io.splitroute.lists.update.ListUpdater(),
                () -> RouteLists.sources(config), this::reload);
    }

    /** Refuses an upstream that is splitroute itself (typically "system" with 127.0.0.1 in resolv.conf). */
    private void checkNoLoop(Map<String, Upstream> upstreams) throws StartupException {
        for (Map.Entry<String, Upstream> group : upstreams.entrySet()) {
            if (!(group.getValue() instanceof io.splitroute.upstream.UpstreamGroup g)) {
                continue;
            }
            for (Upstream server : g.servers()) {
                java.net.InetSocketAddress address = switch (server) {
                    case io.splitroute.upstream.UdpUpstream u -> u.address().address();
                    case io.splitroute.upstream.TcpUpstream t -> t.address().address();
                    default -> null;
                };
                for (ListenAddress listen : config.listen()) {
                    if (address != null && address.getPort() == listen.port()
                            && (address.getAddress().equals(listen.address()) || listen.address().isAnyLocalAddress())) {
                        throw new StartupException("upstream group " + group.getKey() + " contains " + server.name()
                                + ", which is splitroute itself (listen " + listen + "): queries would loop. If it came "
                                + "from \"system\" (/etc/resolv.conf), name the real upstream servers instead");
                    }
                }
            }
        }
    }

    /** Uses {@code writer} for kernel sets instead of opening one (tests, embedding); call before start. */
    public Lifecycle withSetWriter(SetWriter writer) {
        this.setWriter = writer;
        return this;
    }

    private SetWriter setWriter() {
        if (setWriter != null) {
            return setWriter;
        }
        if (config.sets().isEmpty()) {
            return new NoopSetWriter();
        }
        if (dryRun) {
            log.info("dry run: set writes are recorded in memory, not written to the kernel");
            return new RecordingSetWriter();
        }
        // Writes happen on the event loop that answers, batched per loop turn; other threads use a writer thread.
        return InlineSetWriter.open(null, ThreadExecutorMap::currentExecutor);
    }

    /**
     * Re-reads the config file and every list, and switches to them atomically; queries go on being
     * answered throughout. A config or list with errors keeps the running state and reports every error.
     * Lists, routes, upstreams, cache limits and set settings change without a restart; a change of listen
     * addresses is reported as needing one.
     */
    public synchronized ReloadResult reload() {
        long start = System.nanoTime();
        if (configFile == null && !ConfigLoader.EMBEDDED.equals(config.source())) {
            return rejected(List.of("the config was not read from a file (" + config.source() + "): nothing to re-read"));
        }
        SplitrouteConfig next;
        try {
            next = configFile == null ? ConfigLoader.loadEmbedded() : ConfigLoader.load(configFile);
        } catch (java.io.IOException e) {
            return rejected(List.of("cannot read " + configFile + ": " + e.getMessage()));
        } catch (io.splitroute.config.ConfigException e) {
            return rejected(e.problems().stream().map(Object::toString).toList());
        }
        RouteLists nextLists = RouteLists.load(next);
        logLists(nextLists);
        if (!nextLists.failures().isEmpty()) {
            return rejected(nextLists.failures().stream().map(f -> "list " + f).toList());
        }
        if (!next.sets().isEmpty() && setWriter instanceof NoopSetWriter) {
            return rejected(List.of("sets were added: restart splitroute to open the kernel set writer"));
        }
        List<String> setProblems = RouteSets.prepare(next, setWriter);
        if (!setProblems.isEmpty()) {
            return rejected(setProblems);
        }
        List<String> warnings = new java.util.ArrayList<>();
        if (!next.listen().equals(config.listen()) || !next.tcp().equals(config.tcp()) || !next.acl().equals(config.acl())) {
            warnings.add("listen, tcp and acl changes need a restart; still serving " + config.listen());
        }
        Map<String, Upstream> upstreams = ResolverAssembly.upstreams(next, transport, config, groups);
        Routing routing = Routing.compile(next, nextLists.rules(), ResolverAssembly.bind(upstreams, next.sets()));
        groups = upstreams;
        int dropped = assembly.apply(next, routing);
        config = next;
        lists = withoutRules(nextLists);
        admin.rebind(next, upstreams, lists);
        admin.reloaded(true);
        String summary = String.format("reloaded %s in %d ms: %d rules in %d lists, %d cached answers dropped "
                        + "(route changed)", next.source(), (System.nanoTime() - start) / 1_000_000, routing.size(),
                nextLists.lists().size(), dropped);
        log.info("{}", summary);
        warnings.forEach(w -> log.warn("reload: {}", w));
        return new ReloadResult(true, warnings, summary);
    }

    /**
     * The lists as kept while serving: names, counts and failures for {@code /metrics} and {@code /healthz},
     * not the rules, which the rule table holds in compact form (the rule objects of the china list alone
     * take about 20 MB of heap).
     */
    private static RouteLists withoutRules(RouteLists loaded) {
        Map<String, io.splitroute.lists.format.ParsedList> kept = new java.util.LinkedHashMap<>();
        loaded.lists().forEach((name, list) -> kept.put(name, list.withoutRules()));
        return new RouteLists(kept, loaded.failures());
    }

    /** Logs each list's summary and its problems ({@code source:line: reason}), at most 20 per list. */
    private static void logLists(RouteLists loaded) {
        for (var list : loaded.lists().values()) {
            log.info("list {}", list.summary());
            var problems = list.problems();
            problems.stream().limit(20).forEach(p -> log.warn("{}", p));
            if (problems.size() > 20) {
                log.warn("{}: {} more problems not shown",
                        list.name(), problems.size() - 20);
            }
        }
        loaded.failures().forEach(failure -> log.error("list {}", failure));
    }

    private ReloadResult rejected(List<String> problems) {
        if (admin != null) {
            admin.reloaded(false);
        }
        log.error("reload rejected, the running config and lists stay in service:\n  {}", String.join("\n  ", problems));
        return new ReloadResult(false, problems, "reload rejected: " + problems.size() + " problem(s); nothing changed");
    }

    /** Requests a stop, as SIGTERM does. */
    public void requestStop() {
        stopRequested.countDown();
    }

    /** Stops listening, waits (bounded) for the queries in flight, and releases everything. */
    public void stop() {
        if (refresher != null) {
            refresher.close();
        }
        if (server != null) {
            server.stopListening();
        }
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        while (dispatcher != null && dispatcher.inFlight() > 0 && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
        if (transport != null) {
            transport.close();
        }
        if (setWriter != null) {
            setWriter.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    /** Returns the listeners (for tests). */
    public DnsServer server() {
        return server;
    }

    /** Returns the dispatcher (for tests and metrics). */
    public QueryDispatcher dispatcher() {
        return dispatcher;
    }

    /** Returns the assembled pipeline (for tests and metrics). */
    public ResolverAssembly assembly() {
        return assembly;
    }

    /** Returns the admin side: meters, query log, admin listener (for tests). */
    public AdminSetup admin() {
        return admin;
    }

    private void logSummary(Map<String, Upstream> upstreams, Routing routing) {
        List<String> listen = config.listen().stream().map(ListenAddress::toString).toList();
        log.info("splitroute starting with {} on {} ({} transport)", config.source(), listen, transport.name());
        log.info("upstreams: {}", upstreams.entrySet().stream()
                .map(e -> e.getKey() + "=" + describe(e.getValue())).collect(Collectors.joining(", ")));
        log.info("routes: {}; {} rules; unmatched names go to {}",
                config.routes().isEmpty() ? "none" : config.routes().stream()
                        .map(r -> r.name() + "->" + r.upstream()).collect(Collectors.joining(", ")),
                routing.size(), config.defaultUpstream());
        log.info("cache: {} entries, TTL {}..{} s; clients allowed: {}", config.cache().size(),
                config.cache().minTtl(), config.cache().maxTtl(), config.acl());
        if (ConfigLoader.EMBEDDED.equals(config.source())) {
            log.info("this is the embedded default config: it forwards everything to the nameservers in "
                    + "/etc/resolv.conf. For a router, start from config/splitroute.yaml in the source tree "
                    + "and run: splitroute run --config /etc/splitroute/splitroute.yaml");
        }
    }

    private static String describe(Upstream upstream) {
        if (upstream instanceof io.splitroute.upstream.UpstreamGroup group) {
            return group.servers().stream().map(Upstream::name).toList().toString();
        }
        return upstream.name();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
