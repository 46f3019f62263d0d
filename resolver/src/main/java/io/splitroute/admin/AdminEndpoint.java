package io.splitroute.admin;

import io.splitroute.config.AdminConfig;
import io.splitroute.config.ListenAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Talks to a running splitroute's admin listener, as the commands do ({@code lists update} asks it to reload,
 * {@code doctor} reads {@code /healthz}): to the address its config names, a wildcard address through
 * loopback, with that address as the {@code Host} header, and the token of {@code admin.token-file} when the config
 * names one.
 */
public final class AdminEndpoint {
    /** How long a connection to a listener on this machine may take. */
    private static final Duration CONNECT = Duration.ofSeconds(2);

    private final URI base;
    private final Duration timeout;
    private final String token;

    private AdminEndpoint(URI base, Duration timeout, String token) {
        this.base = base;
        this.timeout = timeout;
        this.token = token;
    }

    /**
     * Returns a client for the admin listener of a config, or {@code null} when the config has none
     * ({@code admin: off}).
     *
     * @param admin   the config's admin slice
     * @param timeout how long one request may take, connection included (a reload of big lists takes a second)
     * @throws IOException when the config names a token file that this user cannot read
     */
    public static AdminEndpoint of(AdminConfig admin, Duration timeout) throws IOException {
        if (admin.listen() == null) {
            return null;
        }
        ListenAddress listen = admin.listen();
        InetAddress address = listen.address();
        if (address.isAnyLocalAddress()) {
            address = address instanceof Inet4Address ? InetAddress.getLoopbackAddress() : InetAddress.ofLiteral("::1");
        }
        return new AdminEndpoint(URI.create("http://" + new ListenAddress(address, listen.port())), timeout,
                AdminToken.read(admin.tokenFile()));
    }

    /** Returns the listener's base URI, e.g. {@code http://127.0.0.1:9153}. */
    public URI base() {
        return base;
    }

    /**
     * Sends {@code POST path} with an empty body.
     *
     * @throws java.net.ConnectException when nothing listens there (the server is not running)
     * @throws IOException on any other failure, a timeout included
     */
    public Response post(String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * Sends {@code GET path}.
     *
     * @throws java.net.ConnectException when nothing listens there (the server is not running)
     * @throws IOException on any other failure, a timeout included
     */
    public Response get(String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private Response send(HttpRequest.Builder request) throws IOException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        // The Host header is the URI's authority: the listen address, as the listener expects it.
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT)
                .proxy(HttpClient.Builder.NO_PROXY).build()) {
            HttpResponse<String> response = client.send(request.timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted talking to " + base, e);
        }
    }

    /**
     * One answer of the admin listener.
     *
     * @param status the HTTP status
     * @param body   the body (text)
     */
    public record Response(int status, String body) {
        /** Returns the body's first line, for one-line reports. */
        public String firstLine() {
            String stripped = body.strip();
            int newline = stripped.indexOf('\n');
            return newline < 0 ? stripped : stripped.substring(0, newline);
        }
    }
}
