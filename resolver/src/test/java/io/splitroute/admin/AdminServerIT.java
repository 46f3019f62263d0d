package io.splitroute.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitroute.app.StartupException;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** The admin listener's endpoints on a resolver running in-process: health, reload, query log, errors. */
class AdminServerIT {
    @TempDir
    Path dir;
    private FakeUpstream upstream;
    private RunningResolver resolver;
    private int adminPort;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = FakeUpstream.start().answer("a.example.", Type.A, 300, "192.0.2.1");
        adminPort = RunningResolver.freePort();
    }

    @AfterEach
    void stop() {
        if (resolver != null) {
            resolver.close();
        }
        upstream.close();
    }

    private AdminClient start(String extraYaml) throws Exception {
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                admin: { listen: "127.0.0.1:%d" }
                upstreams: { isp: ["%s"] }
                %s
                """.formatted(adminPort, upstream.udpUri(), extraYaml));
        return new AdminClient("127.0.0.1:" + adminPort);
    }

    @Test
    void healthz_okWhenListeningAndListsLoaded() throws Exception {
        Path list = Files.writeString(dir.resolve("l.txt"), "a.example\n");
        AdminClient admin = start("lists: { l: { file: \"" + list + "\" } }\nroutes: [{ name: r, lists: [l], upstream: isp }]");

        AdminClient.Answer answer = admin.get("/healthz");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("ok\n");
    }

    @Test
    void healthz_503NamesTheListThatFailedToLoad() throws Exception {
        AdminClient admin = start("lists: { gone: { file: \"" + dir.resolve("missing.txt")
                + "\" } }\nroutes: [{ name: r, lists: [gone], domains: [b.example], upstream: isp }]");

        AdminClient.Answer answer = admin.get("/healthz");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body()).contains("list gone: ").contains("missing.txt does not exist");
    }

    @Test
    void healthz_503NamesTheAddressNotListenedOnYet() throws Exception {
        // 192.0.2.53 (TEST-NET-1) is on no interface: the server waits for it to appear; nothing is sent.
        resolver = RunningResolver.start("""
                listen: ["${listen}", "192.0.2.53:5353"]
                admin: { listen: "127.0.0.1:%d" }
                upstreams: { isp: ["%s"] }
                """.formatted(adminPort, upstream.udpUri()));
        AdminClient admin = new AdminClient("127.0.0.1:" + adminPort);

        AdminClient.Answer answer = admin.get("/healthz");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body()).contains("not listening on 192.0.2.53:5353")
                .doesNotContain("not listening on 127.0.0.1");
    }

    @Test
    void healthz_503AfterListenersStopped() throws Exception {
        AdminClient admin = start("");
        resolver.lifecycle().server().stopListening();

        AdminClient.Answer answer = admin.get("/healthz");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body()).contains("not listening on 127.0.0.1:" + resolver.address().getPort());
    }

    @Test
    void reload_rereadsTheConfigFileAndReportsProblems() throws Exception {
        int port = RunningResolver.freePort();
        Path config = dir.resolve("splitroute.yaml");
        String yaml = """
                listen: ["127.0.0.1:%d"]
                admin: { listen: "127.0.0.1:%d" }
                upstreams: { isp: ["%s"] }
                routes: [{ name: r, domains: [%s], upstream: isp }]
                """;
        Files.writeString(config, yaml.formatted(port, adminPort, upstream.udpUri(), "a.example"));
        resolver = RunningResolver.startFile(config, port);
        AdminClient admin = new AdminClient("127.0.0.1:" + adminPort);
        Files.writeString(config, yaml.formatted(port, adminPort, upstream.udpUri(), "b.example"));

        AdminClient.Answer answer = admin.post("/reload");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).startsWith("reloaded: reloaded " + config);
        assertThat(resolver.lifecycle().resolver().routing().route("b.example").name()).isEqualTo("r");
        Files.writeString(config, "upstreams: { isp: [nowhere] }\n");
        AdminClient.Answer failed = admin.post("/reload");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.body()).contains(config + ":1: upstreams.isp[0]:");
        assertThat(admin.get("/metrics").body().lines()).contains("config_reloads_total{result=\"applied\"} 1.0",
                "config_reloads_total{result=\"rejected\"} 1.0", "config_reload_last_success 0.0");
    }

    @Test
    void reload_callsTheHookAndReportsItsOutcome() throws Exception {
        AdminClient admin = start("");
        resolver.lifecycle().admin().onReload(() -> "2 lists, 3 routes");
        assertThat(admin.post("/reload")).isEqualTo(new AdminClient.Answer(200, "reloaded: 2 lists, 3 routes\n"));

        resolver.lifecycle().admin().onReload(() -> {
            throw new ReloadHook.ReloadException("splitroute.yaml:3: routes[0].upstream: no upstream group named 'x'");
        });
        AdminClient.Answer failed = admin.post("/reload");

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.body()).contains("running config stays").contains("no upstream group named 'x'");
    }

    @Test
    void wrongMethodOrPath_405Or404() throws Exception {
        AdminClient admin = start("");

        assertThat(admin.get("/reload").status()).isEqualTo(405);
        assertThat(admin.post("/metrics").status()).isEqualTo(405);
        assertThat(admin.get("/metricsx").status()).isEqualTo(404);
        assertThat(admin.get("/").body()).contains("/metrics", "/healthz", "/reload", "/querylog");
    }

    @Test
    void querylog_switchedOnAndOffOverHttp() throws Exception {
        Path log = dir.resolve("queries.jsonl");
        AdminClient admin = start("query-log: { enabled: false, file: \"" + log + "\" }");
        assertThat(admin.get("/querylog").body()).startsWith("query log off");

        assertThat(admin.post("/querylog?enabled=true").body()).startsWith("query log on (" + log);
        resolver.client().udp("a.example", Type.A);
        awaitLines(log, 1);
        assertThat(admin.post("/querylog?enabled=false").body()).startsWith("query log off");
        resolver.client().udp("off.example", Type.A);
        admin.awaitMetric("dns_queries_total{rcode=\"NXDOMAIN\",route=\"default\",source=\"upstream\",transport=\"udp\"} 1.0");

        assertThat(Files.readAllLines(log)).singleElement().asString()
                .contains("\"name\":\"a.example\"", "\"type\":\"A\"", "\"route\":\"default\"", "\"source\":\"upstream\"",
                        "\"rcode\":\"NOERROR\"", "\"client\":\"127.0.0.1\"", "\"upstream\":\"isp\"");
        assertThat(admin.post("/querylog?enabled=maybe").status()).isEqualTo(400);
    }

    @Test
    void adminOff_noListener() throws Exception {
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                admin: off
                upstreams: { isp: ["%s"] }
                """.formatted(upstream.udpUri()));

        assertThat(resolver.lifecycle().admin().server()).isNull();
        assertThat(resolver.client().udp("a.example", Type.A).getRcode()).isZero();
    }

    @Test
    void namedAdminAddressTaken_startupFailsSayingSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            adminPort = taken.getLocalPort();

            assertThatThrownBy(() -> start(""))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("cannot listen for admin requests on 127.0.0.1:" + adminPort);
        }
    }

    private static void awaitLines(Path file, int lines) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((!Files.exists(file) || Files.readAllLines(file).size() < lines) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
