package io.splitroute.conformance;

import io.splitroute.it.LoopbackPorts;
import io.splitroute.it.SplitrouteServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The system under test of the conformance suite: the packaged jar, forwarding everything to an
 * {@link AuthoritativeUpstream} for {@code conf.test}, its ACL admitting 127.0.0.1 only (so 127.0.0.2 is an
 * outsider), its admin listener on a free loopback port for {@code /metrics}, its output in a log file.
 */
final class ConformanceServer implements AutoCloseable {
    private final AuthoritativeUpstream upstream;
    private final SplitrouteServer splitroute;
    private final Path log;
    private final Path queryLog;
    private final int adminPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private ConformanceServer(AuthoritativeUpstream upstream, SplitrouteServer splitroute, Path log, int adminPort) {
        this.upstream = upstream;
        this.splitroute = splitroute;
        this.log = log;
        this.queryLog = log.resolveSibling("query.log");
        this.adminPort = adminPort;
    }

    /** Starts the upstream and splitroute for the test class {@code owner} (its name names the directory). */
    static ConformanceServer start(Class<?> owner) throws IOException {
        AuthoritativeUpstream upstream = AuthoritativeUpstream.start();
        int adminPort = LoopbackPorts.freePort();
        String config = """
                upstreams:
                  auth: ["%s"]
                default-upstream: auth
                cache: { size: 1000, min-ttl: 0, max-ttl: 86400 }
                acl: ["127.0.0.1/32"]
                admin: { listen: "127.0.0.1:%d" }
                query-log: { enabled: true, file: query.log }
                """.formatted(upstream.udpUri(), adminPort);
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")),
                owner.getSimpleName() + "-");
        try {
            SplitrouteServer splitroute = SplitrouteServer.start(dir, config, "ready.conf.test", false);
            ConformanceServer server = new ConformanceServer(upstream, splitroute, dir.resolve("splitroute.log"),
                    adminPort);
            try {
                server.warmUp();
            } catch (RuntimeException | AssertionError e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException | RuntimeException e) {
            upstream.close();
            throw e;
        }
    }

    /**
     * Sends a few ordinary queries (miss, hit, negative, EDNS, TCP) and waits for their replies, so the
     * first test does not also measure the JVM's class loading and compilation of those paths.
     */
    private void warmUp() {
        RawClient client = client();
        for (int i = 0; i < 2; i++) {
            client.udp(Wire.query("warm-up.conf.test", org.xbill.DNS.Type.A));
            client.udp(Wire.query("nxwarm-up.conf.test", org.xbill.DNS.Type.A));
            client.udp(Wire.ednsQuery("warm-up-edns.conf.test", org.xbill.DNS.Type.AAAA, 0, 0));
            client.tcp(Wire.query("warm-up-tcp.conf.test", org.xbill.DNS.Type.A));
        }
        awaitAdmin();
    }

    /** Waits (at most 20 s) for the admin listener, which starts after the DNS listeners answer. */
    private void awaitAdmin() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                metrics();
                return;
            } catch (java.net.ConnectException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the admin listener on port " + adminPort + " did not answer within 20 s");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for the admin listener", e);
                }
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("admin listener: " + e, e);
            }
        }
    }

    /** A client on 127.0.0.1, inside the ACL. */
    RawClient client() {
        return new RawClient(splitroute.port(), "127.0.0.1");
    }

    /** A client on 127.0.0.2, outside the ACL. */
    RawClient outsider() {
        return new RawClient(splitroute.port(), "127.0.0.2");
    }

    AuthoritativeUpstream upstream() {
        return upstream;
    }

    /** The lines splitroute has written to stdout and stderr so far. */
    List<String> logLines() throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    /** The lines of the query log so far (one JSON object per answered query), none before the first. */
    List<String> queryLogLines() throws IOException {
        return Files.exists(queryLog) ? Files.readAllLines(queryLog, StandardCharsets.UTF_8) : List.of();
    }

    /** The sum of the {@code dns_queries_total} series whose labels include {@code rcode="RCODE"}. */
    double queriesAnswered(String rcode) throws IOException, InterruptedException {
        return metrics().lines()
                .filter(line -> line.startsWith("dns_queries_total{") && line.contains("rcode=\"" + rcode + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** The Prometheus text of {@code /metrics}. */
    String metrics() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** For failure messages: the server's state and last output. */
    String describe() {
        return splitroute.describe();
    }

    @Override
    public void close() {
        splitroute.close();
        upstream.close();
    }
}
