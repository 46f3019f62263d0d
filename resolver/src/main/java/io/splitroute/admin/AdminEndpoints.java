package io.splitroute.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each admin endpoint answers: {@code GET /metrics}, {@code GET /healthz}, {@code POST /reload}, {@code GET
 * /querylog}, {@code POST /querylog?enabled=true|false}, and {@code GET /} (the list). Everything but a reload is
 * answered at once on the listener's thread; a reload runs on a thread of its own (one at a time, one waiting),
 * so {@code /healthz} answers throughout. What changes state answers only to POST.
 */
final class AdminEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminEndpoints.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String INDEX = """
            splitroute admin
              GET  /metrics                     Prometheus metrics
              GET  /healthz                     200 when serving, 503 with the reasons otherwise
              POST /reload                      re-read the config and lists
              GET  /querylog                    is the query log on?
              POST /querylog?enabled=true|false switch the query log
            """;

    private final PrometheusMeterRegistry registry;
    private final HealthCheck health;
    private final QueryLog queryLog;
    private final ExecutorService reloads = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1), Thread.ofPlatform().name("splitroute-admin-reload").daemon().factory());
    private volatile ReloadHook reload;

    AdminEndpoints(PrometheusMeterRegistry registry, HealthCheck health, QueryLog queryLog) {
        this.registry = registry;
        this.health = health;
        this.queryLog = queryLog;
    }

    void onReload(ReloadHook hook) {
        this.reload = hook;
    }

    /** Answers one request (its headers already accepted). */
    CompletableFuture<AdminResponse> handle(HttpMethod method, String uri) {
        QueryStringDecoder decoded = new QueryStringDecoder(uri);
        boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        boolean post = method.equals(HttpMethod.POST);
        AdminResponse answer = switch (decoded.path()) {
            case "/metrics" -> read ? new AdminResponse(HttpResponseStatus.OK, PROMETHEUS_TEXT, registry.scrape(), null)
                    : AdminResponse.notAllowed("GET");
            case "/healthz" -> read ? healthz() : AdminResponse.notAllowed("GET");
            case "/reload" -> post ? null : AdminResponse.notAllowed("POST");
            case "/querylog" -> queryLog(read, post, decoded.rawQuery());
            case "/" -> read ? AdminResponse.text(HttpResponseStatus.OK, INDEX) : AdminResponse.notAllowed("GET");
            default -> AdminResponse.text(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + decoded.path() + " (see /)\n");
        };
        return answer != null ? CompletableFuture.completedFuture(answer) : reload();
    }

    private AdminResponse healthz() {
        List<String> problems = health.problems();
        return problems.isEmpty() ? AdminResponse.text(HttpResponseStatus.OK, "ok\n")
                : AdminResponse.text(HttpResponseStatus.SERVICE_UNAVAILABLE, String.join("\n", problems) + "\n");
    }

    private AdminResponse queryLog(boolean read, boolean post, String query) {
        if (post) {
            switch (query) {
                case "enabled=true" -> queryLog.setEnabled(true);
                case "enabled=false" -> queryLog.setEnabled(false);
                default -> {
                    return AdminResponse.text(HttpResponseStatus.BAD_REQUEST,
                            "use POST /querylog?enabled=true or ?enabled=false\n");
                }
            }
        } else if (!read || !query.isEmpty()) {
            return AdminResponse.notAllowed(read ? "POST" : "GET, POST"); // switching is a POST
        }
        return AdminResponse.text(HttpResponseStatus.OK, "query log " + (queryLog.enabled() ? "on" : "off") + " ("
                + queryLog.destination() + "; " + queryLog.dropped() + " lines dropped)\n");
    }

    private CompletableFuture<AdminResponse> reload() {
        ReloadHook hook = reload;
        if (hook == null) {
            return CompletableFuture.completedFuture(AdminResponse.text(HttpResponseStatus.NOT_IMPLEMENTED,
                    "reload is not implemented in this version: restart splitroute to apply a changed config or list "
                            + "(systemctl restart splitroute)\n"));
        }
        try {
            return CompletableFuture.supplyAsync(() -> reload(hook), reloads);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(AdminResponse.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "a reload is running and another is waiting; try again when they are done\n"));
        }
    }

    private static AdminResponse reload(ReloadHook hook) {
        try {
            String summary = hook.reload();
            log.info("reloaded (admin request): {}", summary);
            return AdminResponse.text(HttpResponseStatus.OK, "reloaded: " + summary + "\n");
        } catch (ReloadHook.ReloadException e) {
            log.warn("reload failed; the running config stays: {}", e.getMessage());
            return AdminResponse.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "reload failed; the running config stays:\n" + e.getMessage() + "\n");
        } catch (RuntimeException e) {
            log.warn("reload failed unexpectedly; the running config stays", e);
            return AdminResponse.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "reload failed; the running config stays: " + e + "\n");
        }
    }

    @Override
    public void close() {
        reloads.shutdownNow();
    }
}
