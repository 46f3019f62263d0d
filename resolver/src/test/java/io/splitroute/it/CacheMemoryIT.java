package io.splitroute.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.testing.FakeUpstream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A LAN client cannot make the JVM run out of memory through the cache: the packaged jar, started with the shipped
 * JVM flags ({@code -Xmx72m ... -XX:+ExitOnOutOfMemoryError}), is asked over TCP for 186 names whose answers hold
 * 4 000 A records each (64 KB on the wire, about 400 KB on the heap once cached), from an upstream on loopback.
 * It must still be running and answering afterwards, with the cache's weight within {@code max-bytes}. The config
 * lets answers of up to 1 MiB be cached ({@code max-answer-bytes: 1m}), so the byte bound itself is what holds
 * memory: the default {@code max-answer-bytes} (64 KiB) would not cache these answers at all.
 */
class CacheMemoryIT {
    private static final int NAMES = 186;
    private static final int RECORDS = 4000;
    private static final int BATCH = 31;
    private static final Pattern METRIC = Pattern.compile("(?m)^(\\S+?)(\\{[^}]*\\})? (\\S+)$");

    @TempDir
    Path dir;

    @Test
    void hugeAnswers_overTcp_doNotExhaustTheShippedHeap() throws Exception {
        int adminPort = LoopbackPorts.freePort();
        try (FakeUpstream upstream = FakeUpstream.start().answer("probe.example.", Type.A, 300, "192.0.2.1");
             SplitrouteServer server = SplitrouteServer.start(dir, """
                     upstreams: { isp: ["%s"] }
                     upstream-timeout: 3s
                     lists: { gfwlist: { file: "bundled:gfwlist" } }
                     routes: [{ name: tunnel, lists: [gfwlist], upstream: isp }]
                     default-upstream: isp
                     cache: { max-answer-bytes: 1m }
                     admin: { listen: "127.0.0.1:%d" }
                     """.formatted(upstream.udpUri(), adminPort), "probe.example", false, ShippedJvmFlags.read())) {
            DnsClient client = new DnsClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                for (int start = 0; start < NAMES; start += BATCH) {
                    askBatch(upstream, client, pool, start, Math.min(NAMES, start + BATCH), server);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(server.isAlive()).as(server.describe()).isTrue();
            assertThat(DnsClient.firstAddress(client.udp("probe.example", Type.A))).isEqualTo("192.0.2.1");
            String metrics = metrics(adminPort);
            double weight = metric(metrics, "dns_cache_weight_bytes");
            double max = metric(metrics, "dns_cache_max_weight_bytes");
            assertThat(max).isEqualTo(12 << 20);
            assertThat(weight).isPositive().isLessThanOrEqualTo(max);
            assertThat(metric(metrics, "cache_evictions_total")).as("the byte bound evicted").isPositive();
            assertThat(metric(metrics, "dns_cache_oversized_total")).isZero();
        }
    }

    /** Programs names {@code from..to} upstream, asks each over TCP (three at a time), then forgets them upstream. */
    private static void askBatch(FakeUpstream upstream, DnsClient client, ExecutorService pool, int from, int to,
                                 SplitrouteServer server) throws Exception {
        for (int i = from; i < to; i++) {
            upstream.answer(hugeAnswer(i));
        }
        List<Future<Message>> replies = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Message query = DnsClient.query(name(i), Type.A, 0);
            replies.add(pool.submit(() -> client.tcp(query)));
        }
        for (int i = from; i < to; i++) {
            Message reply;
            try {
                reply = replies.get(i - from).get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("no answer for " + name(i) + ": " + e.getCause() + "\n" + server.describe(), e);
            }
            assertThat(reply.getSection(Section.ANSWER)).as(name(i)).hasSize(RECORDS);
        }
        for (int i = from; i < to; i++) {
            upstream.forget(name(i));
        }
    }

    private static String name(int i) {
        return "big" + i + ".example";
    }

    private static Record[] hugeAnswer(int i) throws Exception {
        Name owner = Name.fromString(name(i) + ".");
        Record[] records = new Record[RECORDS];
        for (int k = 0; k < RECORDS; k++) {
            records[k] = new ARecord(owner, DClass.IN, 3600,
                    InetAddress.getByAddress(new byte[] {10, (byte) i, (byte) (k >> 8), (byte) k}));
        }
        return records;
    }

    private static String metrics(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static double metric(String scrape, String name) {
        Matcher m = METRIC.matcher(scrape);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return Double.parseDouble(m.group(3));
            }
        }
        throw new AssertionError(name + " not in /metrics:\n" + scrape);
    }
}
