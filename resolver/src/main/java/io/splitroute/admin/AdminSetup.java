package io.splitroute.admin;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.config.AdminConfig;
import io.splitroute.routing.RouteLists;
import io.splitroute.server.QueryDispatcher;
import io.splitroute.server.TcpStats;
import io.splitroute.upstream.Upstream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the admin side to a resolver in two steps: {@link #start} before the resolver's parts exist (the
 * registry, the query log, and the admin listener, so {@code /healthz} answers 503 while starting), and
 * {@link #attach} once they do (the meters and the completion listener). It is handed the few parts it
 * reads, never the assembly.
 */
public final class AdminSetup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminSetup.class);

    private final SplitrouteConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HealthCheck health;
    private final QueryLog queryLog;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ReloadMeters reloads = new ReloadMeters(registry);
    private AdminServer server;
    private ResolverMetrics metrics;
    private Supplier<List<InetSocketAddress>> listening;

    private AdminSetup(SplitrouteConfig config) {
        this.config = config;
        this.health = new HealthCheck(config.listen());
        this.queryLog = new QueryLog(config.queryLog());
    }

    /**
     * Creates the registry (with JVM and process meters) and the query log, and starts the admin listener
     * unless {@code admin: off}.
     *
     * @throws IOException when an address named under {@code admin:} cannot be bound, or its token file cannot be
     *                     read, with a message that says what to do (the default address, when taken, only costs a
     *                     warning: DNS matters more)
     */
    public static AdminSetup start(SplitrouteConfig config) throws IOException {
        AdminSetup setup = new AdminSetup(config);
        setup.bindProcessMeters();
        if (config.queryLog().enabled()) {
            setup.queryLog.setEnabled(true);
        }
        AdminConfig admin = config.admin();
        if (admin.listen() != null) {
            try {
                setup.server = AdminServer.start(admin.listen().socketAddress(), admin.allow(), admin.names(),
                        AdminToken.read(admin.tokenFile()), setup.registry, setup.health, setup.queryLog);
            } catch (AdminToken.Unreadable e) {
                setup.close();
                throw e;
            } catch (IOException e) {
                String message = "cannot listen for admin requests on " + admin.listen() + ": " + e.getMessage();
                if (admin.explicit()) {
                    setup.close();
                    throw new IOException(message + " (choose another admin: listen: address, or admin: off)", e);
                }
                log.warn("{}; serving DNS without /metrics and /healthz (set admin: listen: to a free address)", message);
            }
            if (setup.server != null && admin.offLoopback() && admin.tokenFile() == null) {
                log.warn("admin listener on {} without a token: anyone in {} can reload and read the metrics "
                        + "(set admin: token-file:)", admin.listen(), admin.allow());
            }
        }
        return setup;
    }

    private void bindProcessMeters() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        FunctionCounter.builder("dns.querylog.dropped", queryLog, QueryLog::dropped)
                .description("Query log lines dropped because the writer fell behind").register(registry);
    }

    /**
     * Binds the resolver's meters, points {@code /healthz} at the listeners, lists and upstream groups, and listens to every
     * finished query (metrics and query log).
     *
     * @param dispatcher the query dispatcher (message counters, and every answered query)
     * @param cache      the response cache
     * @param upstreams  the upstream groups by name
     * @param lists      the lists as loaded
     * @param listening  the addresses the listeners are bound to now
     */
    public void attach(QueryDispatcher dispatcher, Cache<?, ?> cache, Map<String, Upstream> upstreams,
                       RouteLists lists, Supplier<List<InetSocketAddress>> listening) {
        metrics = new ResolverMetrics(dispatcher, cache, config.lists(), () -> lists);
        metrics.bindTo(registry);
        this.listening = listening;
        health.watch(listening, () -> lists);
        health.watchUpstreams(() -> upstreams);
        dispatcher.onCompleted((query, resolution, replyBytes, nanos) -> {
            metrics.record(query, resolution, nanos);
            queryLog.record(query, resolution, nanos);
        });
    }

    /** Binds the TCP listener's meters ({@code dns.tcp.*}). */
    public void bindTcp(TcpStats tcp) {
        new TcpMeters(tcp).bindTo(registry);
    }

    /**
     * After a reload was applied: the meters of lists follow the new config, and {@code /healthz} reads the
     * new lists and upstream groups. Call after {@link #attach}.
     */
    public void rebind(SplitrouteConfig newConfig, Map<String, Upstream> upstreams, RouteLists lists) {
        metrics.rebind(registry, newConfig.lists(), () -> lists);
        health.watch(listening, () -> lists);
        health.watchUpstreams(() -> upstreams);
    }

    /** Sets what {@code POST /reload} calls. */
    public void onReload(ReloadHook hook) {
        if (server != null) {
            // The hook (Lifecycle.reload) counts its outcome through reloaded(), for SIGHUP and POST alike.
            server.onReload(hook);
        }
    }

    /** Counts a reload, however it was asked for: {@code config.reloads} and the last result. */
    public void reloaded(boolean applied) {
        reloads.record(applied);
    }

    /** Switches the query log on or off (SIGUSR1 flips it). */
    public void toggleQueryLog() {
        queryLog.setEnabled(!queryLog.enabled());
    }

    /** Reopens the query log file by name (SIGUSR2, after logrotate moved it). */
    public void reopenQueryLog() {
        queryLog.reopen();
    }

    /** Returns the meter registry. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Returns the query log. */
    public QueryLog queryLog() {
        return queryLog;
    }

    /** Returns the admin listener, or {@code null} when off or not bound. */
    public AdminServer server() {
        return server;
    }

    /** Stops the admin listener and the query log. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        queryLog.close();
        gcMetrics.close();
        registry.close();
    }
}
