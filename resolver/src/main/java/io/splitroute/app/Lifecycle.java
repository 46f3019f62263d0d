package io.splitroute.app;

import io.splitroute.admin.AdminSetup;
import io.splitroute.admin.ReloadHook;
import io.splitroute.config.ConfigException;
import io.splitroute.config.ConfigLoader;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.query.Ticker;
import io.splitroute.server.DnsServer;
import io.splitroute.server.QueryDispatcher;
import io.splitroute.sink.SetWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs a resolver: builds it ({@link ResolverAssembly}), starts listening, and on SIGTERM or SIGINT stops
 * listening, lets the queries in flight finish, and releases everything in reverse order. SIGHUP and
 * {@code POST /reload} reload; SIGUSR1 switches the query log, SIGUSR2 reopens its file (when it has one).
 */
public final class Lifecycle {
    /** The version line of a build without a jar manifest (tests, the IDE). */
    public static final String DEVELOPMENT_VERSION = RunOptions.DEVELOPMENT_VERSION;

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
    private static final long DRAIN_MILLIS = 5_000;

    private final SplitrouteConfig initial;
    private RunOptions options;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile Resolver resolver;

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
    public Lifecycle(SplitrouteConfig config, Path configFile, boolean dryRun) {
        this(config, configFile, dryRun, DEVELOPMENT_VERSION);
    }

    /**
     * @param config     the config to run
     * @param configFile where {@code config} was read, re-read on reload ({@code null}: the embedded default)
     * @param dryRun     record set writes in memory (and log them) instead of writing to the kernel
     * @param version    the version line {@code version.bind} answers
     */
    public Lifecycle(SplitrouteConfig config, Path configFile, boolean dryRun, String version) {
        this.initial = config;
        this.options = new RunOptions(configFile, dryRun, version, null, Ticker.SYSTEM, InstantSource.system());
    }

    /** Uses {@code writer} for kernel sets instead of opening one (tests, embedding); call before start. */
    public Lifecycle withSetWriter(SetWriter writer) {
        this.options = options.withSetWriter(writer);
        return this;
    }

    /** Uses {@code ticker} as the clock of the query path instead of the system's (tests); call before start. */
    public Lifecycle withTicker(Ticker ticker) {
        this.options = options.withTicker(ticker);
        return this;
    }

    /** Uses {@code clock} as the wall clock of the cache file instead of the system's (tests); call before start. */
    public Lifecycle withWallClock(InstantSource clock) {
        this.options = options.withWall(clock);
        return this;
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
        HangupSignal.install(signal -> Thread.ofPlatform().name("reload").start(this::reload));
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("USR1"), signal -> resolver.admin().toggleQueryLog());
        if (initial.queryLog().file() != null) {
            // Only then: installing a USR2 handler takes the JVM's thread-suspend signal (JFR's method sampling).
            Signal.handle(new Signal("USR2"), signal -> resolver.admin().reopenQueryLog());
        }
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stopping: no new queries; finishing {} in flight", resolver.dispatcher().inFlight());
        stop();
        log.info("stopped");
        return 0;
    }

    /** Builds every part and starts listening; returns once listening (or waiting for addresses to appear). */
    public void start() throws StartupException {
        Resolver built = ResolverAssembly.build(initial, options, this::reload);
        resolver = built;
        try {
            built.server().start(initial.listen());
            // DNS first: the admin listener and the JVM meters would delay the first answer.
            built.admin().serve();
        } catch (IOException e) {
            resolver = null;
            built.close();
            throw new StartupException(e.getMessage());
        }
        built.admin().onReload(() -> {
            ReloadResult result = reload();
            if (!result.applied()) {
                throw new ReloadHook.ReloadException(String.join("\n", result.problems()));
            }
            return result.summary();
        });
    }

    /**
     * Re-reads the config file and every list, and switches to them atomically; queries go on being
     * answered throughout. A config or list with errors keeps the running state and reports every error.
     * Lists, routes, upstreams, cache limits and set settings change without a restart; a change of listen
     * addresses is reported as needing one.
     */
    public synchronized ReloadResult reload() {
        long start = System.nanoTime();
        Resolver running = resolver;
        SplitrouteConfig config = running.config();
        Path configFile = options.configFile();
        if (configFile == null && !ConfigLoader.EMBEDDED.equals(config.source())) {
            return rejected(List.of("the config was not read from a file (" + config.source() + "): nothing to re-read"));
        }
        SplitrouteConfig next;
        try {
            next = configFile == null ? ConfigLoader.loadEmbedded() : ConfigLoader.load(configFile);
        } catch (IOException e) {
            return rejected(List.of("cannot read " + configFile + ": " + e.getMessage()));
        } catch (ConfigException e) {
            return rejected(e.problems().stream().map(Object::toString).toList());
        }
        ResolverAssembly.Rebuilt rebuilt = ResolverAssembly.rebuild(next, running);
        if (!rebuilt.problems().isEmpty()) {
            return rejected(rebuilt.problems());
        }
        int dropped = running.swap(rebuilt.compiled());
        running.admin().reloaded(true);
        String summary = String.format("reloaded %s in %d ms: %d rules in %d lists, %d cached answers dropped "
                        + "(route changed)", next.source(), (System.nanoTime() - start) / 1_000_000,
                rebuilt.compiled().routing().size(), rebuilt.compiled().lists().lists().size(), dropped);
        log.info("{}", summary);
        rebuilt.warnings().forEach(w -> log.warn("reload: {}", w));
        return new ReloadResult(true, rebuilt.warnings(), summary);
    }

    private ReloadResult rejected(List<String> problems) {
        Resolver running = resolver;
        if (running != null && running.admin() != null) {
            running.admin().reloaded(false);
        }
        log.error("reload rejected, the running config and lists stay in service:\n  {}", String.join("\n  ", problems));
        return new ReloadResult(false, problems, "reload rejected: " + problems.size() + " problem(s); nothing changed");
    }

    /** Requests a stop, as SIGTERM does. */
    public void requestStop() {
        stopRequested.countDown();
    }

    /**
     * Stops listening, waits (bounded) for the queries in flight, saves the cache (with {@code cache: { persist }}),
     * and releases everything.
     */
    public void stop() {
        Resolver running = resolver;
        if (running == null) {
            return;
        }
        running.stopListening();
        long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
        while (running.dispatcher() != null && running.dispatcher().inFlight() > 0
                && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
        running.saveCache();
        running.close();
    }

    /** Returns the running parts (for tests and embedding); {@code null} before start. */
    public Resolver resolver() {
        return resolver;
    }

    /** Returns the listeners (for tests). */
    public DnsServer server() {
        return resolver.server();
    }

    /** Returns the dispatcher (for tests and metrics). */
    public QueryDispatcher dispatcher() {
        return resolver.dispatcher();
    }

    /** Returns the admin side: meters, query log, admin listener (for tests). */
    public AdminSetup admin() {
        return resolver.admin();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
