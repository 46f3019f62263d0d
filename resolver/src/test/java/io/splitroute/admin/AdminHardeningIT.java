package io.splitroute.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * What a hostile client or web page cannot do to the admin listener: exhaust memory with a body, block
 * {@code /healthz} with slow connections, reach it under a foreign {@code Host} (DNS rebinding) or from a foreign
 * {@code Origin} (CSRF), change state with GET, or get past {@code allow} and the bearer token.
 */
class AdminHardeningIT {
    private static final long HUGE_BODY = 200L << 20;

    @TempDir
    Path dir;
    private final List<Socket> sockets = new ArrayList<>();
    private FakeUpstream upstream;
    private RunningResolver resolver;
    private InetSocketAddress admin;
    private final AtomicInteger reloads = new AtomicInteger();

    @BeforeEach
    void startUpstream() {
        upstream = FakeUpstream.start().answer("a.example.", Type.A, 300, "192.0.2.1");
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (resolver != null) {
            resolver.close();
        }
        upstream.close();
    }

    private void start(String adminExtra) throws Exception {
        int port = RunningResolver.freePort();
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                admin: { listen: "127.0.0.1:%d" %s }
                upstreams: { isp: ["%s"] }
                """.formatted(port, adminExtra, upstream.udpUri()));
        admin = new InetSocketAddress("127.0.0.1", port);
        resolver.lifecycle().admin().onReload(() -> "reloaded " + reloads.incrementAndGet());
    }

    private RawHttp.Answer get(String path, String... headers) throws IOException {
        return RawHttp.send(admin, null, "GET", path, headers);
    }

    private RawHttp.Answer post(String path, String... headers) throws IOException {
        return RawHttp.send(admin, null, "POST", path, headers);
    }

    @Test
    void hugeBody_refused413WithoutBeingRead() throws Exception {
        start("");
        AtomicLong written = new AtomicLong();
        RawHttp.Answer answer;
        try (Socket socket = RawHttp.connect(admin, null)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /reload HTTP/1.1\r\nHost: 127.0.0.1:" + admin.getPort() + "\r\nContent-Length: " + HUGE_BODY
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            CompletableFuture<Void> body = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    while (written.get() < HUGE_BODY) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException closedByServer) {
                    // expected: the server answered and closed
                }
            });
            answer = RawHttp.read(socket.getInputStream());
            socket.close();
            body.get(30, TimeUnit.SECONDS);
        }

        assertThat(answer.status()).isEqualTo(413);
        assertThat(written.get()).as("body bytes the server took before closing").isLessThan(HUGE_BODY / 10);
        assertThat(reloads).hasValue(0);
        assertThat(get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void chunkedBodyOverTheLimit_refused413() throws Exception {
        start("");
        try (Socket socket = RawHttp.connect(admin, null)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /reload HTTP/1.1\r\nHost: 127.0.0.1:" + admin.getPort()
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            try {
                for (int i = 0; i < 64; i++) {
                    out.write(("1000\r\n" + "x".repeat(4096) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (IOException closedByServer) {
                // expected
            }

            assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(413);
        }
        assertThat(reloads).hasValue(0);
    }

    @Test
    void hugeHeader_refused() throws Exception {
        start("");

        RawHttp.Answer answer = get("/metrics", "X-Padding: " + "p".repeat(64 * 1024));

        assertThat(answer.status()).isEqualTo(431);
    }

    @Test
    void slowConnections_doNotBlockHealthz() throws Exception {
        start("");
        for (int i = 0; i < 8; i++) {
            Socket idle = RawHttp.connect(admin, null);
            sockets.add(idle);
            if (i % 2 == 0) { // half send nothing at all, half stop in the middle of their headers
                idle.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0".getBytes(StandardCharsets.ISO_8859_1));
                idle.getOutputStream().flush();
            }
        }

        long start = System.nanoTime();
        RawHttp.Answer healthz = get("/healthz");

        assertThat(healthz.status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).as("healthz answered without waiting").isLessThan(3_000);
    }

    @Test
    void idleConnection_closedAtTheRequestDeadline() throws Exception {
        start("");
        Socket idle = RawHttp.connect(admin, null);
        sockets.add(idle);
        idle.setSoTimeout(20_000);
        idle.getOutputStream().write("GET /metrics HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));

        long start = System.nanoTime();
        RawHttp.Answer answer = RawHttp.read(idle.getInputStream());

        assertThat(answer.status()).as("closed without an answer").isZero();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void foreignHost_403EvenForMetrics() throws Exception {
        start("");

        assertThat(get("/metrics", "Host: rebind.attacker.example:" + admin.getPort()).status()).isEqualTo(403);
        assertThat(post("/reload", "Host: rebind.attacker.example").status()).isEqualTo(403);
        assertThat(reloads).hasValue(0);
        assertThat(get("/healthz", "Host: localhost:" + admin.getPort()).status()).isEqualTo(200);
        assertThat(get("/healthz", "Host: 127.0.0.1:" + admin.getPort()).status()).isEqualTo(200);
    }

    @Test
    void configuredName_acceptedAsHost() throws Exception {
        start(", names: [router.lan]");

        assertThat(get("/healthz", "Host: Router.LAN:" + admin.getPort()).status()).isEqualTo(200);
        assertThat(get("/healthz", "Host: router.lan.attacker.example").status()).isEqualTo(403);
    }

    @Test
    void foreignOrigin_403AndNothingChanges() throws Exception {
        start("");

        RawHttp.Answer csrf = post("/querylog?enabled=true", "Origin: http://attacker.example");
        RawHttp.Answer opaque = post("/reload", "Origin: null");

        assertThat(csrf.status()).isEqualTo(403);
        assertThat(opaque.status()).isEqualTo(403);
        assertThat(resolver.lifecycle().admin().queryLog().enabled()).isFalse();
        assertThat(reloads).hasValue(0);
        assertThat(post("/reload", "Origin: http://127.0.0.1:" + admin.getPort()).status()).isEqualTo(200);
        assertThat(reloads).hasValue(1);
    }

    @Test
    void stateChangingEndpoints_onlyOnPost() throws Exception {
        start("");

        assertThat(get("/reload").status()).isEqualTo(405);
        assertThat(get("/querylog?enabled=true").status()).isEqualTo(405);
        assertThat(RawHttp.send(admin, null, "PUT", "/reload").status()).isEqualTo(405);

        assertThat(resolver.lifecycle().admin().queryLog().enabled()).isFalse();
        assertThat(reloads).hasValue(0);
        assertThat(get("/querylog").status()).isEqualTo(200);
    }

    @Test
    void token_requiredOnEveryRequest() throws Exception {
        Path token = Files.writeString(dir.resolve("admin.token"), "s3cret-token\n");
        start(", token-file: \"" + token + "\"");

        RawHttp.Answer none = get("/metrics");
        RawHttp.Answer wrong = get("/healthz", "Authorization: Bearer s3cret-tokem");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.text()).containsIgnoringCase("WWW-Authenticate: Bearer");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(post("/reload").status()).isEqualTo(401);
        assertThat(reloads).hasValue(0);
        assertThat(get("/metrics", "Authorization: Bearer s3cret-token").status()).isEqualTo(200);
        assertThat(post("/reload", "Authorization: Bearer s3cret-token").status()).isEqualTo(200);
    }

    @Test
    void clientOutsideAllow_closedAtAccept() throws Exception {
        start(", allow: [127.0.0.2/32]");

        RawHttp.Answer outside = RawHttp.send(admin, "127.0.0.1", "GET", "/healthz");
        RawHttp.Answer inside = RawHttp.send(admin, "127.0.0.2", "GET", "/healthz");

        assertThat(outside.status()).as("no answer").isZero();
        assertThat(inside.status()).isEqualTo(200);
    }

    @Test
    void rejections_countedByReason() throws Exception {
        start("");
        get("/metrics", "Host: rebind.attacker.example");
        post("/reload", "Origin: http://attacker.example");

        String metrics = get("/metrics").body();

        assertThat(metrics.lines()).contains("admin_requests_rejected_total{reason=\"host\"} 1.0",
                "admin_requests_rejected_total{reason=\"origin\"} 1.0");
    }
}
