package io.splitroute.upstream;

import io.splitroute.net.NetTransport;
import io.splitroute.upstream.tls.TlsOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The load driver of {@code bench/upstream-encrypted.sh}: sends unique names (what a cache miss sends) through
 * one upstream server at a time, with a fixed number of queries outstanding, and prints per server the
 * queries per second, latency p50/p99 and this process's CPU per query. Servers take turns for
 * {@code rounds} rounds, so a change in the machine's load hits all alike.
 *
 * <pre>java -cp TEST_CLASSPATH io.splitroute.upstream.UpstreamMissLoad CA_FILE SECONDS WARMUP_SECONDS
 *     OUTSTANDING ROUNDS URI...</pre>
 *
 * Output: one line per server and round, {@code round uri qps p50_ms p99_ms cpu_us_per_query failed
 * server_cpu_us_per_query}; the last is the CPU of the process {@code -Dserver.pid=PID} (the DNS server, so a
 * run shows which side was the bottleneck), 0 without it.
 */
public final class UpstreamMissLoad {

    private static final AtomicLong NAMES = new AtomicLong();

    private UpstreamMissLoad() {}

    public static void main(String[] args) throws Exception {
        TlsOptions tls = new TlsOptions(Path.of(args[0]), List.of(), null);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[1]));
        Duration warmup = Duration.ofSeconds(Long.parseLong(args[2]));
        int outstanding = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        List<String> uris = Arrays.asList(args).subList(5, args.length);
        try (NetTransport transport = NetTransport.create(0)) {
            UpstreamOptions options = UpstreamOptions.defaults(transport).withAttemptTimeout(Duration.ofSeconds(5));
            List<Upstream> servers = new ArrayList<>();
            for (String uri : uris) {
                servers.add(new UpstreamFactory().group(GroupSpec.of("bench", List.of(uri)).withTls(tls), options));
            }
            for (int i = 0; i < servers.size(); i++) {
                run(servers.get(i), warmup, outstanding); // JIT, connections, TLS sessions
            }
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < servers.size(); i++) {
                    Result r = run(servers.get(i), duration, outstanding);
                    System.out.printf(Locale.ROOT, "%d %s %.0f %.3f %.3f %.1f %d %.1f%n", round, uris.get(i), r.qps(),
                            r.p50Millis(), r.p99Millis(), r.cpuMicrosPerQuery(), r.failed(), r.serverCpuMicrosPerQuery());
                }
            }
            for (Upstream server : servers) { // connections opened and counters: a pool that reconnects shows here
                System.err.println(server.name() + " " + ((UpstreamGroup) server).stats());
            }
        }
    }

    record Result(double qps, double p50Millis, double p99Millis, double cpuMicrosPerQuery, int failed,
                  double serverCpuMicrosPerQuery) {}

    private static Result run(Upstream server, Duration duration, int outstanding) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        long[] latencies = new long[4_000_000];
        AtomicInteger count = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(outstanding);
        long cpuBefore = cpuNanos();
        long serverBefore = serverCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < outstanding; i++) {
            next(server, end, latencies, count, failed, done);
        }
        done.await(duration.toSeconds() + 30, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        long cpu = cpuNanos() - cpuBefore;
        long serverCpu = serverCpuNanos() - serverBefore;
        int n = Math.min(count.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        return new Result(n * 1e9 / elapsed, percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6,
                n == 0 ? 0 : cpu / 1e3 / n, failed.get(), n == 0 ? 0 : serverCpu / 1e3 / n);
    }

    private static void next(Upstream server, long end, long[] latencies, AtomicInteger count, AtomicInteger failed,
                             CountDownLatch done) {
        if (System.nanoTime() - end >= 0) {
            done.countDown();
            return;
        }
        long sent = System.nanoTime();
        server.query(query("q" + NAMES.incrementAndGet() + ".bench.test.")).whenComplete((reply, error) -> {
            int i = count.getAndIncrement();
            if (i < latencies.length) {
                latencies[i] = System.nanoTime() - sent;
            }
            if (error != null) { // a failure may come at once: go on later, not deeper down this stack
                failed.incrementAndGet();
                java.util.concurrent.CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS)
                        .execute(() -> next(server, end, latencies, count, failed, done));
                return;
            }
            next(server, end, latencies, count, failed, done);
        });
    }

    private static Message query(String name) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    /** utime + stime of {@code -Dserver.pid} from /proc (clock ticks of 10 ms), or 0. */
    private static long serverCpuNanos() {
        String pid = System.getProperty("server.pid");
        if (pid == null) {
            return 0;
        }
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
