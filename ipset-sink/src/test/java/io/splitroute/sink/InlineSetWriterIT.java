package io.splitroute.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-loop writer on the real kernel: what one loop turn adds is live once its futures complete. */
class InlineSetWriterIT {
    private static TestNamespace ns;
    private static ExecutorService loop;
    private static InlineSetWriter writer;

    @BeforeAll
    static void openNamespace() {
        Assumptions.assumeTrue(TestNamespace.available(), "needs root and iproute2");
        ns = TestNamespace.create("inline");
        ns.exec("ipset", "create", "gfw4", "hash:ip", "timeout", "0");
        ns.exec("ipset", "create", "full4", "hash:ip", "timeout", "0", "maxelem", "2");
        ns.execWithInput("table inet fw4 { set gfw6 { type ipv6_addr; flags timeout; }; }", "nft", "-f", "-");
        loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "it-loop"));
        writer = InlineSetWriter.open(ns.path(), () -> Thread.currentThread().getName().equals("it-loop") ? loop : null,
                Duration.ofMillis(50));
    }

    @AfterAll
    static void removeNamespace() {
        if (writer != null) {
            writer.close();
        }
        if (loop != null) {
            loop.shutdownNow();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void add_oneLoopTurn_everyAddressIsInTheSetWhenItsFutureCompletes() throws Exception {
        IpsetTarget ipset = new IpsetTarget("gfw4", AddressFamily.INET);
        NftSetTarget nft = new NftSetTarget("inet", "fw4", "gfw6", AddressFamily.INET6);
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            v4.add(InetAddress.getByAddress(new byte[] {10, 7, 0, (byte) i}));
            v6.add(InetAddress.getByName("2001:db8::7:" + Integer.toHexString(i)));
        }
        // Each future, when it completes (on the loop), checks its own address in the kernel at that moment.
        List<CompletableFuture<Boolean>> seen = loop.submit(() -> {
            List<CompletableFuture<Boolean>> out = new ArrayList<>();
            for (int i = 0; i < v4.size(); i++) {
                InetAddress a = v4.get(i);
                out.add(writer.add(ipset, List.of(new SetElement(a, Duration.ofSeconds(600))))
                        .thenApply(result -> result.errors().isEmpty() && ns.execAllowingFailure("ipset", "test", "gfw4", a.getHostAddress()).exit() == 0));
                writer.add(nft, List.of(new SetElement(v6.get(i), Duration.ofSeconds(600))));
            }
            return out;
        }).get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Boolean> future : seen) {
            assertThat(future.get(30, TimeUnit.SECONDS)).isTrue();
        }

        Map<InetAddress, Long> members = KernelSets.ipsetMembers(ns.exec("ipset", "list", "gfw4"));
        assertThat(members.keySet()).containsAll(v4);
        assertThat(members.get(v4.getFirst())).isBetween(590L, 600L);
        assertThat(KernelSets.nftElements(ns.exec("nft", "list", "set", "inet", "fw4", "gfw6")).keySet()).containsAll(v6);
        TargetStats stats = writer.stats().get(ipset);
        assertThat(stats.elements()).isEqualTo(100);
        assertThat(stats.writes()).as("one turn's adds go out together").isEqualTo(1);
    }

    @Test
    void add_fullSetInTheSameTurn_eachRefusedElementIsReportedAndTheOtherSetIsWritten() throws Exception {
        IpsetTarget full = new IpsetTarget("full4", AddressFamily.INET);
        NftSetTarget other = new NftSetTarget("inet", "fw4", "gfw6", AddressFamily.INET6);
        List<SetElement> elements = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            elements.add(new SetElement(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) i}), Duration.ofSeconds(600)));
        }
        InetAddress v6 = InetAddress.getByName("2001:db8::77");

        List<CompletableFuture<WriteResult>> results = loop.submit(() -> List.of(writer.add(full, elements),
                writer.add(other, List.of(new SetElement(v6, Duration.ofSeconds(600)))))).get(10, TimeUnit.SECONDS);

        WriteResult fullResult = results.get(0).get(10, TimeUnit.SECONDS);
        assertThat(fullResult.written()).isEqualTo(2);
        assertThat(fullResult.errors()).hasSize(18).allSatisfy(e -> assertThat(e.kind()).isEqualTo(SetError.Kind.SET_FULL));
        assertThat(results.get(1).get(10, TimeUnit.SECONDS).errors()).isEmpty();
        assertThat(KernelSets.nftElements(ns.exec("nft", "list", "set", "inet", "fw4", "gfw6"))).containsKey(v6);
        TargetStats stats = writer.stats().get(full);
        assertThat(stats.fullElements()).isEqualTo(18);
        assertThat(stats.lastError().kind()).isEqualTo(SetError.Kind.SET_FULL);
        assertThat(stats.lastFull()).isNotNull();
    }
}
