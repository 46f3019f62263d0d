package io.splitroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.splitroute.support.CliRun;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Type;

/**
 * The in-server counterpart of {@code lists update}: a list with {@code refresh:} is downloaded by the running
 * server, which then routes a newly listed name by the new list, without SIGHUP.
 */
class ListsCommandRefreshTest {
    @TempDir
    Path dir;
    private HttpServer http;
    private final AtomicReference<byte[]> served = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private FakeUpstream tunnel;
    private FakeUpstream isp;
    private RunningResolver resolver;

    @BeforeEach
    void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/list.txt", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                byte[] body = served.get();
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        http.start();
        tunnel = FakeUpstream.start().answer("new.example.", Type.A, 0, "192.0.2.1");
        isp = FakeUpstream.start().answer("new.example.", Type.A, 0, "198.51.100.1");
    }

    @AfterEach
    void stop() {
        if (resolver != null) {
            resolver.close();
        }
        tunnel.close();
        isp.close();
        http.stop(0);
    }

    private static String domains(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("d").append(i).append(".example\n");
        }
        return sb.toString();
    }

    @Test
    void refresh_downloadsNewListAndServerRoutesByIt() throws Exception {
        String old = domains(20);
        Files.writeString(dir.resolve("tunnel.txt"), old);
        served.set((old + "new.example\n").getBytes(StandardCharsets.UTF_8));
        int port = RunningResolver.freePort();
        Path config = dir.resolve("splitroute.yaml");
        Files.writeString(config, """
                listen: ["127.0.0.1:%d"]
                upstreams: { tunnel: ["%s"], isp: ["%s"] }
                lists:
                  tunnel: { file: tunnel.txt, format: domains, url: "http://127.0.0.1:%d/list.txt", refresh: 200ms }
                routes: [{ name: tunnel, lists: [tunnel], upstream: tunnel }]
                default-upstream: isp
                """.formatted(port, tunnel.udpUri(), isp.udpUri(), http.getAddress().getPort()));
        resolver = RunningResolver.startFile(config, port);
        DnsClient client = resolver.client();
        assertThat(DnsClient.firstAddress(client.udp("new.example", Type.A))).as("before: not listed").isEqualTo("198.51.100.1");

        // Bounded wait (10 s) for the refresh to download, replace the file and reload.
        String answer = null;
        for (int i = 0; i < 200 && !"192.0.2.1".equals(answer); i++) {
            Thread.sleep(50);
            answer = DnsClient.firstAddress(client.udp("new.example", Type.A));
        }

        assertThat(answer).as("after the refresh: routed by the new list").isEqualTo("192.0.2.1");
        assertThat(dir.resolve("tunnel.txt")).hasContent(old + "new.example");
        assertThat(dir.resolve("tunnel.txt.prev")).hasContent(old);
        assertThat(requests.get()).isPositive();
    }

    @ParameterizedTest(name = "token-file: {0}")
    @ValueSource(booleans = {false, true})
    void listsUpdate_reloadsTheRunningServerThroughItsAdminEndpoint(boolean withToken) throws Exception {
        String admin = "{ listen: \"127.0.0.1:%d\" }";
        if (withToken) { // the listener then refuses a request without it: the command must send it
            Files.writeString(dir.resolve("admin.token"), "0123456789abcdef\n");
            admin = "{ listen: \"127.0.0.1:%d\", token-file: admin.token }";
        }
        String old = domains(20);
        Files.writeString(dir.resolve("tunnel.txt"), old);
        served.set((old + "new.example\n").getBytes(StandardCharsets.UTF_8));
        int port = RunningResolver.freePort();
        int adminPort = RunningResolver.freePort();
        Path config = dir.resolve("splitroute.yaml");
        Files.writeString(config, """
                listen: ["127.0.0.1:%d"]
                admin: %s
                upstreams: { tunnel: ["%s"], isp: ["%s"] }
                lists:
                  tunnel: { file: tunnel.txt, format: domains, url: "http://127.0.0.1:%d/list.txt" }
                routes: [{ name: tunnel, lists: [tunnel], upstream: tunnel }]
                default-upstream: isp
                """.formatted(port, admin.formatted(adminPort), tunnel.udpUri(), isp.udpUri(), http.getAddress().getPort()));
        resolver = RunningResolver.startFile(config, port);
        DnsClient client = resolver.client();
        assertThat(DnsClient.firstAddress(client.udp("new.example", Type.A))).as("before: not listed").isEqualTo("198.51.100.1");

        CliRun r = CliRun.of("lists", "update", "--config", config.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(2).first().isEqualTo("tunnel: 21 rules (+1 -0) updated");
        assertThat(r.out().lines().toList().getLast())
                .startsWith("reload requested through http://127.0.0.1:" + adminPort + "/reload: reloaded: reloaded " + config)
                .contains(": 21 rules in 1 lists");
        assertThat(DnsClient.firstAddress(client.udp("new.example", Type.A))).as("after: routed by the new list")
                .isEqualTo("192.0.2.1");
    }

    @Test
    void refresh_badDownloadKeepsServingTheOldList() throws Exception {
        String old = domains(20) + "new.example\n";
        Files.writeString(dir.resolve("tunnel.txt"), old);
        served.set("d1.example\n".getBytes(StandardCharsets.UTF_8)); // 1 rule: under min-rules
        int port = RunningResolver.freePort();
        Path config = dir.resolve("splitroute.yaml");
        Files.writeString(config, """
                listen: ["127.0.0.1:%d"]
                upstreams: { tunnel: ["%s"], isp: ["%s"] }
                lists:
                  tunnel: { file: tunnel.txt, format: domains, url: "http://127.0.0.1:%d/list.txt", refresh: 100ms }
                routes: [{ name: tunnel, lists: [tunnel], upstream: tunnel }]
                default-upstream: isp
                """.formatted(port, tunnel.udpUri(), isp.udpUri(), http.getAddress().getPort()));
        resolver = RunningResolver.startFile(config, port);

        for (int i = 0; i < 200 && requests.get() < 3; i++) {
            Thread.sleep(50);
        }

        assertThat(requests.get()).as("downloads attempted").isGreaterThanOrEqualTo(3);
        assertThat(dir.resolve("tunnel.txt")).hasContent(old.strip());
        assertThat(DnsClient.firstAddress(resolver.client().udp("new.example", Type.A))).isEqualTo("192.0.2.1");
    }
}
