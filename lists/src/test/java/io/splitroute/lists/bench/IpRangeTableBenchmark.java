package io.splitroute.lists.bench;

import io.splitroute.lists.BundledLists;
import io.splitroute.lists.format.ListLoader;
import io.splitroute.lists.ip.IpPrefix;
import io.splitroute.lists.ip.IpRangeTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Speed and size of the IP-list table: single-thread lookups per second of random addresses, and the
 * table's bytes (printed at setup), for chnroutes2 (3 912 IPv4 networks; {@code ../shared/data} when
 * present, else the bundled snapshot, which is the same file) and for 100 000 generated networks (IPv4,
 * and IPv6 for {@code lookupV6}). Command: see {@code lists/README.md}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IpRangeTableBenchmark {
    private static final int ADDRESSES = 1 << 20;

    /** Which list: {@code chnroutes} or {@code generated100k}. */
    @Param({"chnroutes", "generated100k"})
    public String list;

    private IpRangeTable table;
    private IpRangeTable table6;
    private int[] v4;
    private long[] v6;

    /** Builds the tables and the random addresses once per fork. */
    @Setup
    public void setup() throws IOException {
        table = list.equals("chnroutes") ? chnroutes() : generated(100_000, false);
        table6 = generated(100_000, true);
        SplittableRandom r = new SplittableRandom(20);
        v4 = new int[ADDRESSES];
        v6 = new long[2 * ADDRESSES];
        int in = 0;
        for (int i = 0; i < ADDRESSES; i++) {
            v4[i] = r.nextInt();
            in += table.contains(v4[i]) ? 1 : 0;
            v6[2 * i] = 0x2400_0000_0000_0000L | (r.nextLong() >>> 8);
            v6[2 * i + 1] = r.nextLong();
        }
        System.out.printf("# %s: %s; %.1f%% of random IPv4 addresses inside%n", list, table, 100.0 * in / ADDRESSES);
        System.out.printf("# generated IPv6: %s%n", table6);
    }

    private static IpRangeTable chnroutes() throws IOException {
        Optional<Path> file = BenchData.file("chnroutes2/chnroutes.txt");
        return file.isPresent() ? ListLoader.loadIpList("chnroute", file.get()).table() : BundledLists.chnroute("chnroute").table();
    }

    /** {@code n} random networks of /20 to /24 (IPv4) or /20 to /64 (IPv6, under 2400::/8). */
    static IpRangeTable generated(int n, boolean ipv6) {
        SplittableRandom r = new SplittableRandom(ipv6 ? 6 : 4);
        IpRangeTable.Builder b = IpRangeTable.builder();
        for (int i = 0; i < n; i++) {
            if (ipv6) {
                int length = r.nextInt(20, 65);
                long hi = (0x2400_0000_0000_0000L | (r.nextLong() >>> 8)) & (-1L << (64 - length));
                b.add(IpPrefix.ipv6(hi, 0, length));
            } else {
                int length = r.nextInt(20, 25);
                b.addIpv4(r.nextInt() & (-1 << (32 - length)), length);
            }
        }
        return b.build();
    }

    /** Looks up 2^20 random IPv4 addresses; the score is per lookup. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(ADDRESSES)
    public int lookupV4() {
        int in = 0;
        for (int a : v4) {
            if (table.contains(a)) {
                in++;
            }
        }
        return in;
    }

    /** Looks up 2^20 random IPv6 addresses under 2400::/8 in the generated IPv6 table; per lookup. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(ADDRESSES)
    public int lookupV6() {
        int in = 0;
        for (int i = 0; i < ADDRESSES; i++) {
            if (table6.contains(v6[2 * i], v6[2 * i + 1])) {
                in++;
            }
        }
        return in;
    }
}
