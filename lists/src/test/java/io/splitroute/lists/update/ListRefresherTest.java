package io.splitroute.lists.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.format.ListFormatKind;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-server refresh: lists are downloaded one interval after start, and an update triggers the callback. */
class ListRefresherTest {
    @TempDir
    Path dir;
    private ListServer server;
    /** What the refresher logs at WARNING or above during a test. */
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger(ListRefresher.class.getName());
    private final Handler handler = warningsInto(warnings);

    @BeforeEach
    void setUp() throws Exception {
        server = new ListServer();
        jul.addHandler(handler);
    }

    @AfterEach
    void tearDown() {
        jul.removeHandler(handler);
        server.close();
    }

    private static byte[] lines(String prefix, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(prefix).append(i).append(".example\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void refresh_updatesAfterIntervalAndCallsBackOnce() throws Exception {
        Path fresh = dir.resolve("fresh.txt");
        Path manual = dir.resolve("manual.txt");
        Files.write(fresh, lines("old", 20));
        Files.write(manual, lines("m", 20));
        AtomicLong firstRequest = new AtomicLong();
        URI url = server.serve("/fresh", exchange -> {
            firstRequest.compareAndSet(0, System.nanoTime());
            ListServer.ok(lines("new", 20), "\"n\"").handle(exchange);
        });
        server.serve("/manual", ListServer.ok(lines("x", 20), null));
        Duration interval = Duration.ofMillis(200);
        List<ListSource> sources = List.of(
                new ListSource("fresh", fresh, url, ListFormatKind.DOMAINS, interval, 10, 0.5),
                new ListSource("manual", manual, server.url("/manual"), ListFormatKind.DOMAINS, null, 10, 0.5));
        CountDownLatch updated = new CountDownLatch(1);
        AtomicInteger callbacks = new AtomicInteger();

        long started = System.nanoTime();
        try (ListRefresher refresher = ListRefresher.start(new ListUpdater(), () -> sources, () -> {
            callbacks.incrementAndGet();
            updated.countDown();
        })) {
            assertThat(updated.await(10, TimeUnit.SECONDS)).as("updated and called back").isTrue();
            // The next rounds get 304s or the same content: no more callbacks, only conditional requests.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.requests.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        assertThat(firstRequest.get() - started).as("first download one interval after start").isGreaterThanOrEqualTo(interval.toNanos());
        assertThat(Files.readAllBytes(fresh)).isEqualTo(lines("new", 20));
        assertThat(Files.readAllBytes(manual)).as("a list without refresh is left alone").isEqualTo(lines("m", 20));
        assertThat(server.requests).extracting(ListServer.HttpExchangeRecord::path).containsOnly("/fresh").hasSizeGreaterThanOrEqualTo(3);
        assertThat(server.requests.get(1).ifNoneMatch()).isEqualTo("\"n\"");
        assertThat(callbacks).hasValue(1);
    }

    @Test
    void refresh_failingDownloadKeepsListLogsOnceAndDoesNotCallBack() throws Exception {
        Path fresh = dir.resolve("fresh.txt");
        Files.write(fresh, lines("old", 20));
        URI url = server.serve("/fresh", ListServer.status(500));
        List<ListSource> sources = List.of(
                new ListSource("fresh", fresh, url, ListFormatKind.DOMAINS, Duration.ofMillis(50), 10, 0.5));
        AtomicInteger callbacks = new AtomicInteger();
        try (ListRefresher refresher = ListRefresher.start(new ListUpdater(), () -> sources, callbacks::incrementAndGet)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.requests.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        assertThat(server.requests).hasSizeGreaterThanOrEqualTo(3);
        assertThat(Files.readAllBytes(fresh)).isEqualTo(lines("old", 20));
        assertThat(callbacks).hasValue(0);
        assertThat(warnings).as("the same failure is logged once").containsExactly(
                "list refresh: fresh: failed: HTTP 500 (the list in service stays)");
    }

    @Test
    void close_duringADownload_reportsNoFailureAndDoesNotCallBack() throws Exception {
        Path fresh = dir.resolve("fresh.txt");
        Files.write(fresh, lines("old", 20));
        CountDownLatch requested = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        URI url = server.serve("/slow", exchange -> {
            requested.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ListServer.ok(lines("new", 20), null).handle(exchange);
        });
        List<ListSource> sources = List.of(
                new ListSource("fresh", fresh, url, ListFormatKind.DOMAINS, Duration.ofMillis(50), 10, 0.5));
        AtomicInteger callbacks = new AtomicInteger();
        try {
            ListRefresher refresher = ListRefresher.start(new ListUpdater(), () -> sources, callbacks::incrementAndGet);
            assertThat(requested.await(10, TimeUnit.SECONDS)).as("the download started").isTrue();
            refresher.close(); // as at shutdown: the download in progress is interrupted
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (refreshThreadAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20); // anything the cut-short round would log, it has logged by now
            }
        } finally {
            release.countDown();
        }

        assertThat(warnings).as("a download cut short by close() is not a failure").isEmpty();
        assertThat(callbacks).hasValue(0);
        assertThat(Files.readAllBytes(fresh)).isEqualTo(lines("old", 20));
    }

    private static boolean refreshThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("list-refresh"));
    }

    private static Handler warningsInto(List<String> warnings) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
