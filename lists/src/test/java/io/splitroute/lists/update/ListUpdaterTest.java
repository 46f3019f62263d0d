package io.splitroute.lists.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.format.ListFormatKind;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a loopback HTTP server: good copies replace the list, bad ones never do. */
class ListUpdaterTest {
    @TempDir
    Path dir;
    private ListServer server;
    private Path file;
    private byte[] current;

    @BeforeEach
    void setUp() throws Exception {
        server = new ListServer();
        file = dir.resolve("mine.txt");
        current = domains(0, 100);
        Files.write(file, current);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    /** {@code d<from>.example} .. {@code d<to-1>.example}, one a line. */
    private static byte[] domains(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "d" + i + ".example\n").collect(Collectors.joining())
                .getBytes(StandardCharsets.UTF_8);
    }

    private ListSource source(URI url) {
        return new ListSource("mine", file, url, ListFormatKind.DOMAINS, null, 10, 0.5);
    }

    private UpdateResult update(URI url) {
        return new ListUpdater().update(source(url), DownloadProgress.NONE);
    }

    private void assertListKept() throws Exception {
        assertThat(Files.readAllBytes(file)).as("the list in service").isEqualTo(current);
        assertThat(ListFiles.previous(file)).doesNotExist();
        assertNoTemporaryFile();
    }

    private void assertNoTemporaryFile() throws Exception {
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(ListDownloader.TEMPORARY_SUFFIX));
        }
    }

    @Test
    void update_goodDownloadReplacesListKeepsPreviousAndCountsChanges() throws Exception {
        byte[] next = domains(3, 112);
        URI url = server.serve("/list", ListServer.ok(next, "\"v2\""));

        UpdateResult result = update(url);

        assertThat(result.line()).isEqualTo("mine: 109 rules (+12 -3) updated");
        assertThat(Files.readAllBytes(file)).isEqualTo(next);
        assertThat(Files.readAllBytes(ListFiles.previous(file))).isEqualTo(current);
        assertThat(CacheValidators.read(file).etag()).isEqualTo("\"v2\"");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(ListFiles.previous(file)));
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("mine.txt", "mine.txt.prev", "mine.txt.meta");
        }
    }

    @Test
    void update_firstDownloadCreatesListWithEveryRuleAdded() throws Exception {
        Files.delete(file);
        URI url = server.serve("/list", ListServer.ok(domains(0, 20), null));

        UpdateResult result = update(url);

        assertThat(result.line()).isEqualTo("mine: 20 rules (+20 -0) updated");
        assertThat(Files.readAllBytes(file)).isEqualTo(domains(0, 20));
        assertThat(ListFiles.previous(file)).doesNotExist();
        assertThat(CacheValidators.sidecar(file)).doesNotExist();
    }

    @Test
    void update_sendsEtagAndGets304_listUnchanged() throws Exception {
        byte[] next = domains(0, 120);
        URI url = server.serve("/list", exchange -> {
            if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                exchange.getResponseHeaders().set("ETag", "\"v1\"");
                exchange.sendResponseHeaders(304, -1);
            } else {
                ListServer.ok(next, "\"v1\"").handle(exchange);
            }
        });
        assertThat(update(url)).isInstanceOf(UpdateResult.Updated.class);
        current = Files.readAllBytes(file);

        UpdateResult second = update(url);

        assertThat(second.line()).isEqualTo("mine: unchanged (304)");
        assertThat(server.requests).hasSize(2);
        assertThat(server.requests.get(0).ifNoneMatch()).isNull();
        assertThat(server.requests.get(1).ifNoneMatch()).isEqualTo("\"v1\"");
        assertThat(Files.readAllBytes(file)).isEqualTo(current);
    }

    @Test
    void update_currentCopy_getsTheTimeItWasFoundCurrent() throws Exception {
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(3)));
        Files.setLastModifiedTime(file, old);
        server.serve("/same", ListServer.ok(current, null));
        server.serve("/304", ListServer.status(304));

        for (String path : new String[] {"/same", "/304"}) {
            Files.setLastModifiedTime(file, old);
            UpdateResult result = update(server.url(path));

            assertThat(result.current()).as(result.line()).isTrue();
            assertThat(Files.getLastModifiedTime(file).toInstant()).as(path).isAfter(Instant.now().minusSeconds(60));
            assertListKept();
        }
    }

    @Test
    void update_sendsLastModifiedAsIfModifiedSince() throws Exception {
        String stamp = "Sat, 21 Nov 2026 10:00:00 GMT";
        Files.write(CacheValidators.sidecar(file), new CacheValidators(server.url("/list"), null, stamp).toBytes());
        server.serve("/list", ListServer.status(304));

        UpdateResult result = update(server.url("/list"));

        assertThat(result.line()).isEqualTo("mine: unchanged (304)");
        assertThat(server.requests.getFirst().ifModifiedSince()).isEqualTo(stamp);
        assertListKept();
    }

    @Test
    void update_validatorsOfAnotherUrlAreNotSent() throws Exception {
        Files.write(CacheValidators.sidecar(file), new CacheValidators(server.url("/old"), "\"x\"", null).toBytes());
        URI url = server.serve("/list", ListServer.ok(current, null));

        UpdateResult result = update(url);

        assertThat(server.requests.getFirst().ifNoneMatch()).isNull();
        assertThat(result.line()).isEqualTo("mine: unchanged (same content)");
        assertListKept();
    }

    @Test
    void update_http500KeepsList() throws Exception {
        URI url = server.serve("/list", ListServer.status(500));

        assertThat(update(url).line()).isEqualTo("mine: failed: HTTP 500");
        assertListKept();
    }

    @Test
    void update_truncatedBodyKeepsList() throws Exception {
        byte[] next = domains(0, 200);
        URI url = server.rawTruncated(next.length, java.util.Arrays.copyOf(next, next.length / 2), 0);

        UpdateResult result = update(url);

        assertThat(result.line()).isEqualTo("mine: failed: truncated: connection closed after %d of %d bytes",
                next.length / 2, next.length);
        assertListKept();
    }

    @Test
    void update_emptyBodyKeepsList() throws Exception {
        URI url = server.serve("/list", ListServer.ok(new byte[0], null));

        assertThat(update(url).line()).isEqualTo("mine: rejected: empty download (0 bytes)");
        assertListKept();
    }

    @Test
    void update_binaryGarbageKeepsList() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(6).nextBytes(garbage);
        URI url = server.serve("/list", ListServer.ok(garbage, null));

        assertThat(update(url).line()).isEqualTo("mine: rejected: not a text list (4096 bytes, not UTF-8)");
        assertListKept();
    }

    @Test
    void update_htmlErrorPageKeepsList() throws Exception {
        String html = "<html>\n<head><title>Login</title></head>\n<body>\n<p>please sign in</p>\n</body>\n</html>\n"
                + "a.example\n".repeat(1);
        URI url = server.serve("/list", ListServer.ok(html.getBytes(StandardCharsets.UTF_8), null));
        ListSource lenient = new ListSource("mine", file, url, ListFormatKind.DOMAINS, null, 0, 0);

        UpdateResult result = new ListUpdater().update(lenient, DownloadProgress.NONE);

        assertThat(result.line()).startsWith("mine: rejected: not a domains list: ").contains(" bad lines and 1 rules");
        assertListKept();
    }

    @Test
    void update_shrunkBy90PercentKeepsList() throws Exception {
        URI url = server.serve("/list", ListServer.ok(domains(0, 10), null));

        assertThat(update(url).line()).isEqualTo("mine: rejected: 10 rules is 10% of the current 100");
        assertListKept();
    }

    @Test
    void update_fewerThanMinRulesKeepsList() throws Exception {
        Files.delete(file);
        URI url = server.serve("/list", ListServer.ok(domains(0, 9), null));

        assertThat(update(url).line()).isEqualTo("mine: rejected: 9 rules, fewer than min-rules 10");
        assertThat(file).doesNotExist();
    }

    @Test
    void update_gzipBodyAndRedirectAccepted() throws Exception {
        byte[] next = domains(0, 150);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(next);
        }
        server.serve("/list.gz", exchange -> {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            ListServer.ok(zipped.toByteArray(), null).handle(exchange);
        });
        URI url = server.serve("/moved", exchange -> {
            exchange.getResponseHeaders().set("Location", server.url("/list.gz").toString());
            exchange.sendResponseHeaders(302, -1);
        });

        UpdateResult result = update(url);

        assertThat(result.line()).isEqualTo("mine: 150 rules (+50 -0) updated");
        assertThat(Files.readAllBytes(file)).isEqualTo(next);
        assertThat(server.requests.getLast().acceptEncoding()).isEqualTo("gzip");
    }

    @Test
    void update_stalledDownloadTimesOutAndKeepsList() throws Exception {
        URI url = server.rawTruncated(10_000, "d1.example\n".getBytes(StandardCharsets.UTF_8), 10_000);
        ListUpdater updater = new ListUpdater(new ListDownloader(Duration.ofSeconds(2), Duration.ofMillis(300)));

        UpdateResult result = updater.update(source(url), DownloadProgress.NONE);

        assertThat(result.line()).isEqualTo("mine: failed: no complete download within 300 ms");
        assertListKept();
    }

    private UpdateResult updateCapped(URI url, long maxBytes) {
        ListSource capped = new ListSource("mine", file, url, ListFormatKind.DOMAINS, null, 10, 0.5, maxBytes);
        return new ListUpdater().update(capped, DownloadProgress.NONE);
    }

    @Test
    void update_announcedOverMaxBytesIsRejectedAndKeepsList() throws Exception {
        byte[] body = domains(0, 5000);
        URI url = server.serve("/list", ListServer.ok(body, null));

        UpdateResult result = updateCapped(url, 1000);

        assertThat(result).isInstanceOf(UpdateResult.Rejected.class);
        assertThat(result.line()).isEqualTo("mine: rejected: larger than max-bytes (1000 bytes): the server announced "
                + body.length + " bytes");
        assertListKept();
    }

    @Test
    void update_chunkedBodyOverMaxBytesIsCutAndKeepsList() throws Exception {
        URI url = server.serve("/list", ListServer.chunked(domains(0, 5000), 3));

        UpdateResult result = updateCapped(url, 1000);

        assertThat(result.line()).isEqualTo("mine: rejected: larger than max-bytes (1000 bytes): the download went on past it");
        assertListKept();
    }

    @Test
    void update_gzipThatInflatesOverMaxBytesIsRejected() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(new byte[10 << 20]); // 10 MiB of zeros: 10 KB on the wire
        }
        server.serve("/list", exchange -> {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            ListServer.ok(zipped.toByteArray(), null).handle(exchange);
        });

        UpdateResult result = updateCapped(server.url("/list"), 1 << 20);

        assertThat(result.line()).isEqualTo("mine: rejected: larger than max-bytes (1048576 bytes): the download went on past it");
        assertListKept();
    }

    @Test
    void update_atMaxBytesIsAccepted() throws Exception {
        byte[] body = domains(0, 200);
        URI url = server.serve("/list", ListServer.chunked(body, 7));

        assertThat(updateCapped(url, body.length).line()).isEqualTo("mine: 200 rules (+100 -0) updated");
        assertThat(Files.readAllBytes(file)).isEqualTo(body);
        assertNoTemporaryFile();
    }

    @Test
    void update_connectionRefusedKeepsList() throws Exception {
        URI url = server.url("/list");
        server.close();

        UpdateResult result = update(url);

        assertThat(result.line()).startsWith("mine: failed: ");
        assertListKept();
    }

    @Test
    void update_droppedLinesAreCountedAndTheFirstNamed() throws Exception {
        byte[] next = (new String(domains(0, 100), StandardCharsets.UTF_8) + "bad..name\nbad name.example\n").getBytes(StandardCharsets.UTF_8);
        URI url = server.serve("/list", ListServer.ok(next, null));

        UpdateResult result = update(url);

        assertThat(result.line()).startsWith("mine: 100 rules (+0 -0) updated, 2 dropped (2 invalid name), first: " + url + ":101: ");
        assertThat(result.details()).hasSize(2);
        assertThat(result.details().get(0)).startsWith(url + ":101: ");
        assertThat(result.details().get(1)).startsWith(url + ":102: ");
    }

    @Test
    void update_reportsProgress() throws Exception {
        URI url = server.serve("/list", ListServer.ok(domains(0, 300), null));
        long[] last = {0, 0};

        new ListUpdater().update(source(url), (list, received, total) -> {
            last[0] = received;
            last[1] = total;
        });

        assertThat(last).containsExactly(domains(0, 300).length, domains(0, 300).length);
    }
}
