package io.splitroute.sink.bench;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.BatchingSetWriter;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.NftSetTarget;
import io.splitroute.sink.SetElement;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.TestNamespace;
import io.splitroute.sink.WriteResult;
import io.splitroute.sink.ipset.IpsetWriter;
import io.splitroute.sink.nft.NftSetWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Kernel set writes, in a network namespace the benchmark creates and removes (needs root):
 * latency of one add with its ack (ipset direct, through {@link BatchingSetWriter}, nft), throughput of
 * batched adds in elements per second (ipset ADT messages, nft batches), and the same element count
 * through {@code ipset restore} and {@code nft -f} for comparison. Each batch re-adds a block of
 * {@value #BATCH} addresses from a pool of 20 blocks that setup already wrote, so every variant measures
 * the resolver's steady state: refreshing the timeouts of elements that are there (no hash resizes).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SetWriterBenchmark {
    static final int BATCH = 10_000;
    private static final int BLOCKS = 20;

    private TestNamespace ns;
    private IpsetWriter ipset;
    private NftSetWriter nft;
    private BatchingSetWriter batching;
    private final IpsetTarget ipsetTarget = new IpsetTarget("bench4", AddressFamily.INET);
    private final IpsetTarget batchingTarget = new IpsetTarget("benchq", AddressFamily.INET);
    private final NftSetTarget nftTarget = new NftSetTarget("inet", "bench", "bench4", AddressFamily.INET);
    private final List<List<SetElement>> blocks = new ArrayList<>();
    /** Block 0's elements, each in a list of its own made once, as the resolver hands them over. */
    private final List<List<SetElement>> singles = new ArrayList<>();
    private final List<String> ipsetRestoreScripts = new ArrayList<>();
    private final List<String> nftScripts = new ArrayList<>();
    private int next;
    private int single;

    @Setup(Level.Trial)
    public void createSets() throws Exception {
        if (!TestNamespace.available()) {
            throw new IllegalStateException("SetWriterBenchmark needs root and iproute2 (it creates a network namespace)");
        }
        ns = TestNamespace.create("bench");
        for (String name : List.of("bench4", "benchq", "benchcli")) {
            ns.exec("ipset", "create", name, "hash:ip", "timeout", "0", "maxelem", "1000000", "hashsize", "65536");
        }
        ns.execWithInput("""
                table inet bench {
                    set bench4 { type ipv4_addr; flags timeout; }
                    set benchcli { type ipv4_addr; flags timeout; }
                }
                """, "nft", "-f", "-");
        for (int b = 0; b < BLOCKS; b++) {
            List<SetElement> block = new ArrayList<>(BATCH);
            StringBuilder restore = new StringBuilder();
            StringBuilder nftScript = new StringBuilder("add element inet bench benchcli { ");
            for (int i = 0; i < BATCH; i++) {
                InetAddress address = address(b * BATCH + i);
                block.add(new SetElement(address, Duration.ofSeconds(3600)));
                restore.append("add benchcli ").append(address.getHostAddress()).append(" timeout 3600\n");
                nftScript.append(i == 0 ? "" : ", ").append(address.getHostAddress()).append(" timeout 3600s");
            }
            blocks.add(block);
            ipsetRestoreScripts.add(restore.toString());
            nftScripts.add(nftScript.append(" }\n").toString());
        }
        for (SetElement element : blocks.get(0)) {
            singles.add(List.of(element));
        }
        ipset = IpsetWriter.open(ns.path());
        nft = NftSetWriter.open(ns.path());
        batching = new BatchingSetWriter(IpsetWriter.open(ns.path()), "bench-writer");
        IpsetTarget cliIpset = new IpsetTarget("benchcli", AddressFamily.INET);
        NftSetTarget cliNft = new NftSetTarget("inet", "bench", "benchcli", AddressFamily.INET);
        for (List<SetElement> block : blocks) {
            for (SetTarget target : List.<SetTarget>of(ipsetTarget, batchingTarget, cliIpset)) {
                check(ipset.write(Map.of(target, block)).get(target));
            }
            for (SetTarget target : List.<SetTarget>of(nftTarget, cliNft)) {
                check(nft.write(Map.of(target, block)).get(target));
            }
        }
    }

    @TearDown(Level.Trial)
    public void removeSets() {
        if (batching != null) {
            batching.close();
        }
        if (ipset != null) {
            ipset.close();
        }
        if (nft != null) {
            nft.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private static InetAddress address(int n) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
    }

    private SetElement nextSingle() {
        List<SetElement> block = blocks.get(0);
        return block.get(single++ % block.size());
    }

    private List<SetElement> nextSingleList() {
        return singles.get(single++ % singles.size());
    }

    private List<SetElement> nextBlock() {
        return blocks.get(next++ % BLOCKS);
    }

    private static void check(List<SetError> errors) {
        if (errors != null && !errors.isEmpty()) {
            throw new IllegalStateException(errors.getFirst().message());
        }
    }

    /** One element, written and acked on the calling thread (IpsetWriter directly). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void ipsetSingleAdd() {
        check(ipset.write(Map.of(ipsetTarget, List.of(nextSingle()))).get(ipsetTarget));
    }

    /**
     * One element through {@code write(target, elements)}, the form the resolver's loop uses: no map, and a
     * success allocates (almost) nothing (run with {@code -prof gc}).
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void ipsetSingleWrite() {
        check(ipset.write(ipsetTarget, nextSingleList()));
    }

    /** As {@link #ipsetSingleWrite()} for the nftables set. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void nftSingleWrite() {
        check(nft.write(nftTarget, nextSingleList()));
    }

    /** One element through the BatchingSetWriter thread: enqueue, write, ack, complete the future. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public WriteResult batchingSingleAdd() {
        WriteResult result = batching.add(batchingTarget, List.of(nextSingle())).join();
        check(result.errors());
        return result;
    }

    /** One element in one nftables batch, acked. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void nftSingleAdd() {
        check(nft.write(Map.of(nftTarget, List.of(nextSingle()))).get(nftTarget));
    }

    /** 10 000 elements per call into one ipset (ADT messages of 1024 elements); score is elements/s. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void ipsetBatched() {
        check(ipset.write(Map.<SetTarget, List<SetElement>>of(ipsetTarget, nextBlock())).get(ipsetTarget));
    }

    /** 10 000 elements per call into one nftables set (one batch); score is elements/s. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void nftBatched() {
        check(nft.write(Map.<SetTarget, List<SetElement>>of(nftTarget, nextBlock())).get(nftTarget));
    }

    /** The same 10 000 elements through {@code ipset restore -exist} (process start included). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void ipsetRestoreCli() {
        ns.execWithInput(ipsetRestoreScripts.get(next++ % BLOCKS), "ipset", "restore", "-exist");
    }

    /** The same 10 000 elements through {@code nft -f} (process start included). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void nftCli() {
        ns.execWithInput(nftScripts.get(next++ % BLOCKS), "nft", "-f", "-");
    }
}
