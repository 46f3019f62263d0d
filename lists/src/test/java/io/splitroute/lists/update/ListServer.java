package io.splitroute.lists.update;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback HTTP server for update tests: each path answers as its handler says; requests are recorded. */
final class ListServer implements AutoCloseable {
    /** How one path answers. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final java.util.List<java.net.ServerSocket> raw = new CopyOnWriteArrayList<>();
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    /** Every request as received: path and headers. */
    final List<HttpExchangeRecord> requests = new CopyOnWriteArrayList<>();

    record HttpExchangeRecord(String path, String ifNoneMatch, String ifModifiedSince, String acceptEncoding) {
    }

    ListServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            var h = exchange.getRequestHeaders();
            requests.add(new HttpExchangeRecord(exchange.getRequestURI().getPath(), h.getFirst("If-None-Match"),
                    h.getFirst("If-Modified-Since"), h.getFirst("Accept-Encoding")));
            Handler handler = handlers.get(exchange.getRequestURI().getPath());
            try (exchange) {
                if (handler == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    handler.handle(exchange);
                }
            }
        });
        server.start();
    }

    /** Serves {@code handler} at {@code path}; returns the URL. */
    URI serve(String path, Handler handler) {
        handlers.put(path, handler);
        return url(path);
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** A 200 with {@code body}, and the given ETag (or none). */
    static Handler ok(byte[] body, String etag) {
        return exchange -> {
            if (etag != null) {
                exchange.getResponseHeaders().set("ETag", etag);
            }
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    /** A 200 with {@code body} sent chunked (no Content-Length), in {@code pieces} writes. */
    static Handler chunked(byte[] body, int pieces) {
        return exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                int step = Math.max(1, body.length / pieces);
                for (int i = 0; i < body.length; i += step) {
                    out.write(body, i, Math.min(step, body.length - i));
                    out.flush();
                }
            }
        };
    }

    /** Just a status, no body. */
    static Handler status(int status) {
        return exchange -> exchange.sendResponseHeaders(status, -1);
    }

    /**
     * A raw one-shot server that answers 200 with a Content-Length of {@code announced} but sends only
     * {@code sent} bytes and then, after {@code holdMillis}, closes the connection; returns its URL.
     */
    URI rawTruncated(int announced, byte[] sent, long holdMillis) throws IOException {
        java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        raw.add(socket);
        Thread.ofPlatform().daemon(true).name("raw-http").start(() -> {
            try (java.net.Socket client = socket.accept()) {
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(client.getInputStream(),
                        java.nio.charset.StandardCharsets.ISO_8859_1));
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    // read the request head
                }
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + announced + "\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                out.write(sent);
                out.flush();
                Thread.sleep(holdMillis);
            } catch (IOException | InterruptedException e) {
                // the test ended first
            }
        });
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/list");
    }

    @Override
    public void close() {
        server.stop(0);
        for (var socket : raw) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
