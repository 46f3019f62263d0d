package io.splitroute.unlisted;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.splitroute.support.CliRun;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code splitroute lists update} takes IP lists like domain lists: min-rules, max-shrink, max-bytes, {@code .prev}. */
class IpListUpdateTest {
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

    private static byte[] networks(int n) {
        StringBuilder sb = new StringBuilder("# test networks\n");
        for (int i = 0; i < n; i++) {
            sb.append("198.51.").append(i).append(".0/24\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private Path config(String maxBytes) throws Exception {
        Files.write(dir.resolve("chn.txt"), networks(100));
        String url = "http://127.0.0.1:" + http.getAddress().getPort();
        return Files.writeString(dir.resolve("splitroute.yaml"), """
                upstreams: { isp: ["udp://192.0.2.1:53"], clean: ["udp://192.0.2.2:53"] }
                ip-lists:
                  chnroute: { file: chn.txt, url: "%s/chn.txt", format: cidr, max-bytes: %s }
                unlisted: { domestic: isp, trusted: clean, domestic-ips: [chnroute] }
                """.formatted(url, maxBytes));
    }

    @Test
    void update_replacesTheIpList_keepingThePreviousCopy() throws Exception {
        Path config = config("1MiB");
        bodies.put("/chn.txt", networks(120));

        CliRun r = CliRun.of("lists", "update", "--config", config.toString(), "--no-reload");

        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("chnroute: 120");
        assertThat(dir.resolve("chn.txt")).hasBinaryContent(networks(120));
        assertThat(dir.resolve("chn.txt.prev")).hasBinaryContent(networks(100));
    }

    @Test
    void update_shrunkOrTooLarge_isRejected_andTheListInServiceStays() throws Exception {
        bodies.put("/chn.txt", networks(10));
        CliRun shrunk = CliRun.of("lists", "update", "--config", config("1MiB").toString(), "--no-reload");

        assertThat(shrunk.status()).isEqualTo(1);
        assertThat(shrunk.out()).contains("chnroute: rejected: 10");
        assertThat(dir.resolve("chn.txt")).hasBinaryContent(networks(100));

        bodies.put("/chn.txt", networks(200));
        CliRun large = CliRun.of("lists", "update", "--config", config("1k").toString(), "--no-reload");

        assertThat(large.status()).isEqualTo(1);
        assertThat(large.out()).contains("chnroute: ").contains("larger than max-bytes (1024 bytes)");
        assertThat(dir.resolve("chn.txt")).hasBinaryContent(networks(100));
    }
}
