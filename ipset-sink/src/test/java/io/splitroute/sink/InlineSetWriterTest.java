package io.splitroute.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InlineSetWriterTest {
    private static final IpsetTarget V4 = new IpsetTarget("gfwlist", AddressFamily.INET);
    private static final NftSetTarget V6 = new NftSetTarget("inet", "fw4", "gfwlist6", AddressFamily.INET6);

    /** A one-thread "event loop": the writer sees it as the current loop only on its own thread. */
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-loop"));
    private final List<RecordingKernel> opened = new CopyOnWriteArrayList<>();
    private final RecordingSetWriter fallback = new RecordingSetWriter();
    private final AtomicInteger opens = new AtomicInteger();
    private volatile SetException openFailure;
    private final InlineSetWriter writer = new InlineSetWriter(
            () -> Thread.currentThread().getName().equals("test-loop") ? loop : null,
            target -> {
                opens.incrementAndGet();
                if (openFailure != null) {
                    throw openFailure;
                }
                RecordingKernel kernel = new RecordingKernel();
                opened.add(kernel);
                return kernel;
            },
            fallback);

    @AfterEach
    void close() {
        writer.close();
        loop.shutdownNow();
    }

    private static SetElement v4(int last, long seconds) throws Exception {
        return new SetElement(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last}), Duration.ofSeconds(seconds));
    }

    private static SetElement v6(int last) throws Exception {
        return new SetElement(InetAddress.getByName("2001:db8::" + last), Duration.ofSeconds(60));
    }

    /** Runs {@code body} as one task (one "turn") on the loop and returns what it returned. */
    private <T> T onLoop(java.util.concurrent.Callable<T> body) throws Exception {
        return loop.submit(body).get(5, TimeUnit.SECONDS);
    }

    @Test
    void writesOnCallingThread_onlyOnALoopAndUntilClosed() throws Exception {
        assertThat(writer.writesOnCallingThread()).as("a thread that is not a loop").isFalse();
        assertThat(onLoop(writer::writesOnCallingThread)).as("the loop").isTrue();
        writer.close();
        assertThat(onLoop(writer::writesOnCallingThread)).as("the loop, after close").isFalse();
    }

    @Test
    void add_manyInOneLoopTurn_oneWritePerDialectOnTheLoopThread() throws Exception {
        List<CompletableFuture<WriteResult>> futures = onLoop(() -> {
            List<CompletableFuture<WriteResult>> out = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                out.add(writer.add(V4, List.of(v4(i, 60))));
            }
            out.add(writer.add(V6, List.of(v6(1), v6(2))));
            // Nothing is written before the turn ends: the replies of the whole turn share the write.
            assertThat(out).noneMatch(CompletableFuture::isDone);
            return out;
        });

        for (CompletableFuture<WriteResult> future : futures) {
            assertThat(future.get(5, TimeUnit.SECONDS).errors()).isEmpty();
        }
        assertThat(futures.getLast().get().written()).isEqualTo(2);
        assertThat(opened).hasSize(2); // one ipset and one nftables socket for this loop
        List<Map<SetTarget, List<SetElement>>> writes = new ArrayList<>();
        opened.forEach(kernel -> writes.addAll(kernel.writes));
        assertThat(writes).hasSize(2);
        assertThat(writes).anySatisfy(write -> assertThat(write.get(V4)).hasSize(20));
        assertThat(writes).anySatisfy(write -> assertThat(write.get(V6)).containsExactly(v6(1), v6(2)));
        assertThat(opened).allSatisfy(kernel -> assertThat(kernel.threads).containsOnly("test-loop"));
        assertThat(fallback.contents(V4)).isEmpty();
    }

    @Test
    void addWithCallback_onALoop_toldOnTheLoopAtTheEndOfTheTurn() throws Exception {
        List<String> told = new CopyOnWriteArrayList<>();
        CompletableFuture<WriteResult> second = new CompletableFuture<>();
        onLoop(() -> {
            writer.add(V4, List.of(v4(1, 60)), result -> told.add(Thread.currentThread().getName() + " " + result.written()));
            writer.add(V4, List.of(v4(2, 60), v4(3, 60)), second::complete);
            assertThat(told).as("nothing is written before the turn ends").isEmpty();
            return null;
        });

        assertThat(second.get(5, TimeUnit.SECONDS).written()).isEqualTo(2);
        assertThat(told).containsExactly("test-loop 1");
        assertThat(opened.getFirst().writes).singleElement()
                .satisfies(write -> assertThat(write.get(V4)).hasSize(3)); // both adds in one write
    }

    @Test
    void addWithCallback_aCallbackThrows_theOthersAreStillTold() throws Exception {
        CompletableFuture<WriteResult> after = new CompletableFuture<>();
        onLoop(() -> {
            writer.add(V4, List.of(v4(1, 60)), result -> {
                throw new IllegalStateException("a broken caller");
            });
            writer.add(V4, List.of(v4(2, 60)), after::complete);
            return null;
        });

        assertThat(after.get(5, TimeUnit.SECONDS).errors()).isEmpty();
        // The loop survived: its next turn writes again.
        assertThat(onLoop(() -> writer.add(V4, List.of(v4(3, 60)))).get(5, TimeUnit.SECONDS).written()).isEqualTo(1);
    }

    @Test
    void addWithCallback_offTheLoop_goesToTheFallback() throws Exception {
        CompletableFuture<WriteResult> told = new CompletableFuture<>();

        writer.add(V4, List.of(v4(7, 300)), told::complete);

        assertThat(told.get(5, TimeUnit.SECONDS).written()).isEqualTo(1);
        assertThat(fallback.contents(V4)).containsKey(v4(7, 300).address());
        assertThat(opens).hasValue(0);
    }

    @Test
    void add_laterTurns_reuseTheLoopsSockets() throws Exception {
        for (int turn = 1; turn <= 3; turn++) {
            int last = turn;
            onLoop(() -> writer.add(V4, List.of(v4(last, 60)))).get(5, TimeUnit.SECONDS);
        }

        assertThat(opens).hasValue(1);
        assertThat(opened.getFirst().writes).hasSize(3);
        assertThat(writer.stats().get(V4).elements()).isEqualTo(3);
    }

    @Test
    void add_offTheLoop_goesToTheFallback() throws Exception {
        WriteResult result = writer.add(V4, List.of(v4(9, 300))).get(5, TimeUnit.SECONDS);

        assertThat(result.written()).isEqualTo(1);
        assertThat(fallback.contents(V4)).containsKey(v4(9, 300).address());
        assertThat(opens).hasValue(0);
    }

    @Test
    void add_socketCannotOpen_everyCallerGetsTheReason() throws Exception {
        openFailure = new SetException(SetError.Kind.PERMISSION, "needs CAP_NET_ADMIN");

        WriteResult result = onLoop(() -> writer.add(V4, List.of(v4(1, 60)))).get(5, TimeUnit.SECONDS);

        assertThat(result.written()).isZero();
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(SetError.Kind.PERMISSION);
            assertThat(error.message()).contains("gfwlist").contains("needs CAP_NET_ADMIN");
        });
    }

    @Test
    void add_openerThrowsUnexpectedly_everyCallerToldAndTheNextTurnTriesAgain() throws Exception {
        openFailure = null;
        java.util.concurrent.atomic.AtomicBoolean explode = new java.util.concurrent.atomic.AtomicBoolean(true);
        InlineSetWriter fragile = new InlineSetWriter(
                () -> Thread.currentThread().getName().equals("test-loop") ? loop : null,
                target -> {
                    if (explode.getAndSet(false)) {
                        throw new IllegalStateException("native access denied");
                    }
                    RecordingKernel kernel = new RecordingKernel();
                    opened.add(kernel);
                    return kernel;
                },
                new RecordingSetWriter());
        try {
            List<CompletableFuture<WriteResult>> first = onLoop(() -> List.of(
                    fragile.add(V4, List.of(v4(1, 60))), fragile.add(V4, List.of(v4(2, 60)))));
            for (CompletableFuture<WriteResult> future : first) {
                assertThat(future.get(5, TimeUnit.SECONDS).errors()).singleElement()
                        .satisfies(error -> assertThat(error.message()).contains("native access denied"));
            }
            assertThat(onLoop(() -> fragile.add(V4, List.of(v4(3, 60)))).get(5, TimeUnit.SECONDS).written()).isEqualTo(1);
        } finally {
            fragile.close();
        }
    }

    @Test
    void add_sameAddressTwiceInOneTurn_laterTimeoutWins() throws Exception {
        CompletableFuture<WriteResult> later = onLoop(() -> {
            writer.add(V4, List.of(v4(5, 60)));
            return writer.add(V4, List.of(v4(5, 3600)));
        });
        later.get(5, TimeUnit.SECONDS);

        assertThat(opened.getFirst().writes.getFirst().get(V4)).containsExactly(v4(5, 3600));
    }

    @Test
    void add_manyElementsWithRepeats_eachAddressOnceWithItsLatestTimeout() throws Exception {
        // More elements than the compare-merge handles: the hashing merge, same result.
        CompletableFuture<WriteResult> last = onLoop(() -> {
            CompletableFuture<WriteResult> f = null;
            for (int round = 0; round < 3; round++) {
                List<SetElement> elements = new ArrayList<>();
                for (int i = 1; i <= 20; i++) {
                    elements.add(v4(i, 60 + round));
                }
                f = writer.add(V4, elements);
            }
            return f;
        });
        last.get(5, TimeUnit.SECONDS);

        List<SetElement> written = opened.getFirst().writes.getFirst().get(V4);
        assertThat(written).hasSize(20);
        assertThat(written).allSatisfy(element -> assertThat(element.timeoutSeconds()).isEqualTo(62));
    }

    @Test
    void close_closesEveryLoopsSockets() throws Exception {
        onLoop(() -> writer.add(V4, List.of(v4(1, 60)))).get(5, TimeUnit.SECONDS);

        writer.close();

        assertThat(opened.getFirst().closed).isTrue();
        onLoop(() -> writer.add(V4, List.of(v4(2, 60)))).get(5, TimeUnit.SECONDS);
        assertThat(opens).hasValue(1); // no socket reopened after close: a late add goes to the fallback
        assertThat(opened.getFirst().writes).hasSize(1);
        assertThat(fallback.contents(V4)).containsKey(v4(2, 60).address());
    }

    /** Records writes and the threads they ran on. */
    @Test
    void writeDeadline_reachesOpenLanesAndLanesOpenedLater() throws Exception {
        onLoop(() -> writer.add(V4, List.of(v4(1, 60)))).get(5, TimeUnit.SECONDS);
        assertThat(opened).singleElement().extracting(k -> k.writeDeadline).isEqualTo(SetWriter.DEFAULT_WRITE_DEADLINE);

        writer.writeDeadline(Duration.ofMillis(20));
        onLoop(() -> writer.add(V6, List.of(v6(1)))).get(5, TimeUnit.SECONDS);

        assertThat(opened).hasSize(2).allSatisfy(kernel -> assertThat(kernel.writeDeadline).isEqualTo(Duration.ofMillis(20)));
    }

    @Test
    void inspect_goesToTheFallback() throws Exception {
        fallback.add(V4, List.of(v4(7, 60))).get();
        InetAddress address = v4(7, 60).address();

        SetInspection set = onLoop(() -> writer.inspect(V4, List.of(address)));

        assertThat(set.holds(address)).isTrue();
        assertThat(opened).isEmpty();
    }

    private static final class RecordingKernel implements BulkSetWriter {
        final List<Map<SetTarget, List<SetElement>>> writes = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final SetStatsCounter stats = new SetStatsCounter();
        volatile boolean closed;
        volatile Duration writeDeadline;

        @Override
        public void writeDeadline(Duration deadline) {
            writeDeadline = deadline;
        }

        @Override
        public Map<SetTarget, List<SetError>> write(Map<SetTarget, List<SetElement>> elementsByTarget) {
            writes.add(Map.copyOf(elementsByTarget));
            threads.add(Thread.currentThread().getName());
            elementsByTarget.forEach((target, elements) -> stats.recordWrite(target, elements.size(), 0));
            return Map.of();
        }

        @Override
        public Map<SetTarget, TargetStats> stats() {
            return stats.snapshot();
        }

        @Override
        public void probe(SetTarget target) {}

        @Override
        public void create(SetSpec spec) {}

        @Override
        public void close() {
            closed = true;
        }
    }
}
