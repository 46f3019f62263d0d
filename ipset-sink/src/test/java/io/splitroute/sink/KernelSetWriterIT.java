package io.splitroute.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The multiplexing, batching writer the resolver uses, with many concurrent callers, on the real kernel. */
class KernelSetWriterIT {
    private static TestNamespace ns;
    private static KernelSetWriter writer;

    @BeforeAll
    static void openNamespace() {
        Assumptions.assumeTrue(TestNamespace.available(), "needs root and iproute2");
        ns = TestNamespace.create("kernel");
        ns.exec("ipset", "create", "gfw4", "hash:ip", "timeout", "0");
        ns.execWithInput("table inet fw4 { set gfw6 { type ipv6_addr; flags timeout; }; }", "nft", "-f", "-");
        writer = KernelSetWriter.open(ns.path());
    }

    @AfterAll
    static void removeNamespace() {
        if (writer != null) {
            writer.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void add_fromManyThreads_everyAddressLands() throws Exception {
        IpsetTarget ipset = new IpsetTarget("gfw4", AddressFamily.INET);
        NftSetTarget nft = new NftSetTarget("inet", "fw4", "gfw6", AddressFamily.INET6);
        writer.probe(ipset);
        writer.probe(nft);
        int threads = 16;
        int perThread = 200;
        Set<InetAddress> expected4 = new HashSet<>();
        Set<InetAddress> expected6 = new HashSet<>();
        List<CompletableFuture<WriteResult>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<List<CompletableFuture<WriteResult>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                List<InetAddress> v4 = new ArrayList<>();
                List<InetAddress> v6 = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    v4.add(InetAddress.getByAddress(new byte[] {10, 9, (byte) thread, (byte) i}));
                    v6.add(InetAddress.getByName("2001:db8::" + Integer.toHexString(thread) + ":" + Integer.toHexString(i)));
                }
                expected4.addAll(v4);
                expected6.addAll(v6);
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<WriteResult>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(writer.add(ipset, List.of(new SetElement(v4.get(i), Duration.ofSeconds(600)))));
                        mine.add(writer.add(nft, List.of(new SetElement(v6.get(i), Duration.ofSeconds(600)))));
                    }
                    return mine;
                }));
            }
            for (var f : submitted) {
                futures.addAll(f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        for (CompletableFuture<WriteResult> future : futures) {
            WriteResult result = future.get(30, TimeUnit.SECONDS);
            assertThat(result.errors()).isEmpty();
            assertThat(result.written()).isEqualTo(1);
        }
        assertThat(KernelSets.ipsetMembers(ns.exec("ipset", "list", "gfw4")).keySet()).containsAll(expected4);
        assertThat(KernelSets.nftElements(ns.exec("nft", "list", "set", "inet", "fw4", "gfw6")).keySet())
                .containsAll(expected6);
        TargetStats stats = writer.stats().get(ipset);
        assertThat(stats.elements()).isEqualTo((long) threads * perThread);
        assertThat(stats.writes()).isLessThanOrEqualTo((long) threads * perThread);
    }

    @Test
    void add_missingIpset_errorReachesTheCaller() throws Exception {
        WriteResult result = writer.add(new IpsetTarget("gfwlist", AddressFamily.INET),
                List.of(new SetElement(InetAddress.getByName("192.0.2.1"), Duration.ofSeconds(60)))).get(10, TimeUnit.SECONDS);

        assertThat(result.errors()).singleElement().extracting(SetError::message)
                .isEqualTo("ipset gfwlist does not exist in this network namespace; "
                        + "create it with: ipset create gfwlist hash:ip timeout 0 maxelem 262144");
    }
}
