package io.splitroute.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the admin listener in tests. */
final class AdminClient {
    private static final long AWAIT_MILLIS = 5_000;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;

    /** One answer: status and body. */
    record Answer(int status, String body) {}

    AdminClient(String hostPort) {
        this.base = "http://" + hostPort;
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer post(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /**
     * Scrapes {@code /metrics} until it holds {@code line} (a query's meters are updated just after its reply
     * is sent, so a test may read them a moment early), for at most 5 s; returns the last scrape.
     */
    String awaitMetric(String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + AWAIT_MILLIS * 1_000_000;
        String scrape = get("/metrics").body();
        while (!scrape.lines().anyMatch(line::equals) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            scrape = get("/metrics").body();
        }
        return scrape;
    }
}
