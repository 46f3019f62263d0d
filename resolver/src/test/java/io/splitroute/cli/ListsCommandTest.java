package io.splitroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.splitroute.support.CliRun;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code splitroute lists update}: one line per list, exit status, the old list kept, the server signalled. */
class ListsCommandTest {
    @TempDir
    Path dir;
    private HttpServer http;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();

    @BeforeEach
    void startHttp() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = bodies.get(exchange.getRequestURI().getPath());
                if (body == null) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        http.start();
    }

    @AfterEach
    void stopHttp() {
        http.stop(0);
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    private static byte[] domains(String prefix, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(prefix).append(i).append(".example\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Two lists with urls (gfw: served, china: served or 500), one without; no admin listener. */
    private Path config() throws Exception {
        return config("admin: off");
    }

    /** {@link #config()} with {@code admin} as the admin line. */
    private Path config(String admin) throws Exception {
        Files.write(dir.resolve("gfw.txt"), domains("g", 100));
        Files.write(dir.resolve("china.conf"), "server=/cn/192.0.2.53\n".repeat(1).getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("mine.txt"), domains("m", 3));
        Path config = dir.resolve("splitroute.yaml");
        Files.writeString(config, """
                upstreams: { isp: ["udp://192.0.2.1:53"], clean: ["udp://192.0.2.2:53"] }
                lists:
                  gfw: { file: gfw.txt, url: "%s", format: domains }
                  china: { file: china.conf, url: "%s", min-rules: 1 }
                  mine: { file: mine.txt, format: domains }
                routes:
                  - { name: tunnel, lists: [gfw, mine], upstream: clean }
                  - { name: domestic, lists: [china], upstream: isp }
                default-upstream: isp
                %s
                """.formatted(url("/gfw.txt"), url("/china.conf"), admin));
        return config;
    }

    @Test
    void update_allGood_printsOneLinePerListAndExits0() throws Exception {
        Path config = config();
        bodies.put("/gfw.txt", domains("g", 102));
        bodies.put("/china.conf", Files.readAllBytes(dir.resolve("china.conf")));

        CliRun r = run("lists", "update", "--config", config.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "gfw: 102 rules (+2 -0) updated",
                "china: unchanged (same content)",
                "reload splitroute to use the new lists: systemctl reload splitroute (admin: is off in " + config
                        + "; or give --pid-file to signal it)");
        assertThat(dir.resolve("gfw.txt")).hasBinaryContent(domains("g", 102));
        assertThat(dir.resolve("gfw.txt.prev")).hasBinaryContent(domains("g", 100));
    }

    @Test
    void update_droppedLines_areCountedAndTheFirstShown() throws Exception {
        Path config = config();
        bodies.put("/gfw.txt", (new String(domains("g", 101), StandardCharsets.UTF_8) + "bad..name\n").getBytes(StandardCharsets.UTF_8));
        bodies.put("/china.conf", Files.readAllBytes(dir.resolve("china.conf")));

        CliRun r = run("lists", "update", "--config", config.toString(), "--no-reload");

        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("gfw: 101 rules (+1 -0) updated, 1 dropped (");
        assertThat(lines.get(1)).startsWith("  ").contains(":102: ").contains("bad..name");
        assertThat(lines.get(2)).isEqualTo("china: unchanged (same content)");
    }

    @Test
    void update_oneFailed_exits1AndKeepsThatList() throws Exception {
        Path config = config();
        byte[] china = Files.readAllBytes(dir.resolve("china.conf"));
        bodies.put("/gfw.txt", domains("g", 100));

        CliRun r = run("lists", "update", "--config", config.toString(), "--no-reload");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out().lines()).containsExactly("gfw: unchanged (same content)", "china: failed: HTTP 500");
        assertThat(dir.resolve("china.conf")).hasBinaryContent(china);
    }

    @Test
    void update_shrunkList_exits1AndSaysWhy() throws Exception {
        Path config = config();
        bodies.put("/gfw.txt", domains("g", 10));
        bodies.put("/china.conf", Files.readAllBytes(dir.resolve("china.conf")));

        CliRun r = run("lists", "update", "--config", config.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out().lines()).containsExactly("gfw: rejected: 10 rules is 10% of the current 100",
                "china: unchanged (same content)");
        assertThat(dir.resolve("gfw.txt")).hasBinaryContent(domains("g", 100));
    }

    @Test
    void update_noReload_printsNoHint() throws Exception {
        Path config = config();
        bodies.put("/gfw.txt", domains("g", 101));
        bodies.put("/china.conf", Files.readAllBytes(dir.resolve("china.conf")));

        CliRun r = run("lists", "update", "--config", config.toString(), "--no-reload");

        assertThat(r.status()).isZero();
        assertThat(r.out().lines()).containsExactly("gfw: 101 rules (+1 -0) updated", "china: unchanged (same content)");
    }

    @Test
    void update_withPidFile_sendsSighupToTheServer() throws Exception {
        Path config = config();
        bodies.put("/gfw.txt", domains("g", 101));
        bodies.put("/china.conf", Files.readAllBytes(dir.resolve("china.conf")));
        Path marker = dir.resolve("got-hup");
        // Stands in for the server: records SIGHUP, exits after at most ~10 s.
        Process server = new ProcessBuilder("bash", "-c",
                "trap 'echo hup > " + marker + "; exit 0' HUP; for i in $(seq 100); do sleep 0.1; done").start();
        try {
            Thread.sleep(300); // let bash install its trap
            Path pidFile = dir.resolve("splitroute.pid");
            Files.writeString(pidFile, server.pid() + "\n");

            CliRun r = run("lists", "update", "--config", config.toString(), "--pid-file", pidFile.toString());

            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out().lines()).contains("reload requested: SIGHUP sent to splitroute (pid " + server.pid() + ")");
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(marker).hasContent("hup");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void update_pidFileOfNoProcess_exits1() throws Exception {
        Path config = config();
        bodies.put("/gfw.txt", domains("g", 101));
        bodies.put("/china.conf", Files.readAllBytes(dir.resolve("china.conf")));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        Path pidFile = dir.resolve("splitroute.pid");
        Files.writeString(pidFile, gone.pid() + "\n");

        CliRun r = run("lists", "update", "--config", config.toString(), "--pid-file", pidFile.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out().lines()).startsWith("gfw: 101 rules (+1 -0) updated");
        assertThat(r.err()).contains("no process " + gone.pid());
    }

    /** Returns a loopback port nothing listens on (bound, then released). */
    private static int closedPort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void serveLists(Path config) throws Exception {
        bodies.put("/gfw.txt", domains("g", 101));
        bodies.put("/china.conf", Files.readAllBytes(dir.resolve("china.conf")));
    }

    @Test
    void update_serverNotRunning_saysItReadsTheListsAtStartAndExits0() throws Exception {
        int port = closedPort();
        Path config = config("admin: { listen: \"127.0.0.1:" + port + "\" }");
        serveLists(config);

        CliRun r = run("lists", "update", "--config", config.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("gfw: 101 rules (+1 -0) updated", "china: unchanged (same content)",
                "splitroute is not running (nothing listens on http://127.0.0.1:" + port + "): it reads the new lists"
                        + " when it starts");
    }

    @Test
    void update_adminEndpointNotListening_fallsBackToThePidFile() throws Exception {
        Path config = config("admin: { listen: \"127.0.0.1:" + closedPort() + "\" }");
        serveLists(config);
        Path marker = dir.resolve("got-hup");
        Process server = new ProcessBuilder("bash", "-c",
                "trap 'echo hup > " + marker + "; exit 0' HUP; for i in $(seq 100); do sleep 0.1; done").start();
        try {
            Thread.sleep(300); // let bash install its trap
            Path pidFile = dir.resolve("splitroute.pid");
            Files.writeString(pidFile, server.pid() + "\n");

            CliRun r = run("lists", "update", "--config", config.toString(), "--pid-file", pidFile.toString());

            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out().lines()).contains("reload requested: SIGHUP sent to splitroute (pid " + server.pid() + ")");
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(marker).hasContent("hup");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void update_reloadRefusedByTheServer_exits1WithItsReasons() throws Exception {
        Map<String, String> request = new ConcurrentHashMap<>();
        HttpServer admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        admin.createContext("/", exchange -> {
            try (exchange) {
                request.put("line", exchange.getRequestMethod() + " " + exchange.getRequestURI());
                request.put("host", exchange.getRequestHeaders().getFirst("Host"));
                byte[] body = "reload failed; the running config stays:\nlist gfw: bad\n".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        admin.start();
        try {
            int port = admin.getAddress().getPort();
            Path config = config("admin: { listen: \"127.0.0.1:" + port + "\" }");
            serveLists(config);

            CliRun r = run("lists", "update", "--config", config.toString());

            assertThat(r.status()).isEqualTo(1);
            assertThat(request).containsEntry("line", "POST /reload").containsEntry("host", "127.0.0.1:" + port);
            assertThat(r.err()).contains("the running server refused the new lists and keeps the ones it had")
                    .contains("list gfw: bad");
        } finally {
            admin.stop(0);
        }
    }

    @Test
    void update_embeddedConfig_hasNothingToUpdate() {
        CliRun r = run("lists", "update");

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("no list in embedded default has a url: nothing to update\n");
    }

    @Test
    void update_missingConfig_exits2() {
        CliRun r = run("lists", "update", "--config", dir.resolve("nope.yaml").toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("nope.yaml");
    }

    @Test
    void lists_withoutSubcommand_namesIt() {
        CliRun r = run("lists");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("splitroute lists update");
    }
}
