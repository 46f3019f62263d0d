package io.splitroute.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP listener (the JDK's built-in server, one thread): {@code GET /metrics} (Prometheus text),
 * {@code GET /healthz} (200 or 503 with the reasons), {@code POST /reload}, and {@code GET|POST /querylog}
 * ({@code ?enabled=true|false}). Meant for loopback: it has no authentication.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private final HealthCheck health;
    private final QueryLog queryLog;
    private volatile ReloadHook reload;

    private AdminServer(HttpServer server, PrometheusMeterRegistry registry, HealthCheck health, QueryLog queryLog) {
        this.server = server;
        this.registry = registry;
        this.health = health;
        this.queryLog = queryLog;
        this.executor = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("splitroute-admin").daemon().unstarted(r));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @param address  where to listen (port 0: any free port, see {@link #address()})
     * @param registry the meters served on {@code /metrics}
     * @param health   what {@code /healthz} reports
     * @param queryLog what {@code /querylog} switches
     * @throws IOException when the address cannot be bound
     */
    public static AdminServer start(InetSocketAddress address, PrometheusMeterRegistry registry, HealthCheck health,
                                    QueryLog queryLog) throws IOException {
        AdminServer admin = new AdminServer(HttpServer.create(address, 16), registry, health, queryLog);
        admin.server.start();
        log.info("admin listener on http://{}/ (metrics, healthz, reload, querylog)", hostPort(admin.address()));
        return admin;
    }

    /** Returns the bound address. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Sets what {@code POST /reload} calls; until set, it answers 501 Not Implemented. */
    public void onReload(ReloadHook hook) {
        this.reload = hook;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            URI uri = exchange.getRequestURI();
            String method = exchange.getRequestMethod();
            switch (uri.getPath()) {
                case "/metrics" -> get(exchange, method, () -> send(exchange, 200, PROMETHEUS_TEXT, registry.scrape()));
                case "/healthz" -> get(exchange, method, () -> healthz(exchange));
                case "/reload" -> post(exchange, method, () -> reload(exchange));
                case "/querylog" -> queryLog(exchange, method, uri.getQuery());
                case "/" -> get(exchange, method, () -> send(exchange, 200, TEXT, """
                        splitroute admin
                          GET  /metrics                     Prometheus metrics
                          GET  /healthz                     200 when serving, 503 with the reasons otherwise
                          POST /reload                      re-read the config and lists
                          GET  /querylog                    is the query log on?
                          POST /querylog?enabled=true|false switch the query log
                        """));
                default -> send(exchange, 404, TEXT, "no such endpoint: " + uri.getPath() + " (see /)\n");
            }
        } catch (RuntimeException e) {
            log.warn("admin request {} failed", exchange.getRequestURI(), e);
        }
    }

    private void healthz(HttpExchange exchange) throws IOException {
        List<String> problems = health.problems();
        if (problems.isEmpty()) {
            send(exchange, 200, TEXT, "ok\n");
        } else {
            send(exchange, 503, TEXT, String.join("\n", problems) + "\n");
        }
    }

    private void reload(HttpExchange exchange) throws IOException {
        ReloadHook hook = reload;
        if (hook == null) {
            send(exchange, 501, TEXT, "reload is not implemented in this version: restart splitroute to apply "
                    + "a changed config or list (systemctl restart splitroute)\n");
            return;
        }
        try {
            String summary = hook.reload();
            log.info("reloaded (admin request): {}", summary);
            send(exchange, 200, TEXT, "reloaded: " + summary + "\n");
        } catch (ReloadHook.ReloadException e) {
            log.warn("reload failed; the running config stays: {}", e.getMessage());
            send(exchange, 500, TEXT, "reload failed; the running config stays:\n" + e.getMessage() + "\n");
        }
    }

    private void queryLog(HttpExchange exchange, String method, String query) throws IOException {
        if (method.equals("POST")) {
            String value = query == null ? "" : query;
            switch (value) {
                case "enabled=true" -> queryLog.setEnabled(true);
                case "enabled=false" -> queryLog.setEnabled(false);
                default -> {
                    send(exchange, 400, TEXT, "use POST /querylog?enabled=true or ?enabled=false\n");
                    return;
                }
            }
        } else if (!method.equals("GET")) {
            notAllowed(exchange, "GET, POST");
            return;
        }
        send(exchange, 200, TEXT, "query log " + (queryLog.enabled() ? "on" : "off") + " (" + queryLog.destination()
                + "; " + queryLog.dropped() + " lines dropped)\n");
    }

    private static void get(HttpExchange exchange, String method, Action action) throws IOException {
        if (method.equals("GET") || method.equals("HEAD")) {
            action.run();
        } else {
            notAllowed(exchange, "GET");
        }
    }

    private static void post(HttpExchange exchange, String method, Action action) throws IOException {
        if (method.equals("POST")) {
            action.run();
        } else {
            notAllowed(exchange, "POST");
        }
    }

    private static void notAllowed(HttpExchange exchange, String allow) throws IOException {
        exchange.getResponseHeaders().set("Allow", allow);
        send(exchange, 405, TEXT, "use " + allow + "\n");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String hostPort(InetSocketAddress address) {
        String host = NetUtil.toAddressString(address.getAddress());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Stops listening (waits at most a second for a request in progress). */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }
}
