package io.splitroute.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchingSetWriterTest {
    private static final IpsetTarget V4 = new IpsetTarget("gfwlist", AddressFamily.INET);
    private static final IpsetTarget OTHER = new IpsetTarget("other", AddressFamily.INET);

    private final FakeKernel kernel = new FakeKernel();
    private final BatchingSetWriter writer = new BatchingSetWriter(kernel, "test-writer");

    @AfterEach
    void close() {
        kernel.gate.countDown();
        writer.close();
    }

    private static SetElement element(int last, long seconds) throws Exception {
        return new SetElement(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last}), Duration.ofSeconds(seconds));
    }

    @Test
    void add_whileKernelBusy_queuedCallsGoOutAsOneWrite() throws Exception {
        kernel.holdFirstWrite();
        CompletableFuture<WriteResult> first = writer.add(V4, List.of(element(1, 60)));
        kernel.firstWriteStarted.await(5, TimeUnit.SECONDS);
        List<CompletableFuture<WriteResult>> queued = new ArrayList<>();
        for (int i = 2; i <= 50; i++) {
            queued.add(writer.add(i % 2 == 0 ? V4 : OTHER, List.of(element(i, 60))));
        }

        kernel.gate.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS).written()).isEqualTo(1);
        for (CompletableFuture<WriteResult> future : queued) {
            assertThat(future.get(5, TimeUnit.SECONDS).written()).isEqualTo(1);
        }
        assertThat(kernel.writes).hasSize(2);
        assertThat(kernel.writes.get(1).get(V4)).hasSize(25);
        assertThat(kernel.writes.get(1).get(OTHER)).hasSize(24);
    }

    @Test
    void add_elementRejected_onlyItsCallerSeesTheError() throws Exception {
        kernel.holdFirstWrite();
        writer.add(V4, List.of(element(100, 60)));
        kernel.firstWriteStarted.await(5, TimeUnit.SECONDS);
        kernel.reject = element(7, 1).address();
        CompletableFuture<WriteResult> bad = writer.add(V4, List.of(element(6, 60), element(7, 60)));
        CompletableFuture<WriteResult> good = writer.add(V4, List.of(element(8, 60)));

        kernel.gate.countDown();

        WriteResult badResult = bad.get(5, TimeUnit.SECONDS);
        assertThat(badResult.written()).isEqualTo(1);
        assertThat(badResult.errors()).singleElement().extracting(SetError::address).isEqualTo(element(7, 1).address());
        assertThat(good.get(5, TimeUnit.SECONDS).errors()).isEmpty();
    }

    @Test
    void add_sameAddressTwiceInOneBatch_laterTimeoutWins() throws Exception {
        kernel.holdFirstWrite();
        writer.add(OTHER, List.of(element(1, 60)));
        kernel.firstWriteStarted.await(5, TimeUnit.SECONDS);
        writer.add(V4, List.of(element(9, 60)));
        CompletableFuture<WriteResult> later = writer.add(V4, List.of(element(9, 3600)));

        kernel.gate.countDown();
        later.get(5, TimeUnit.SECONDS);

        assertThat(kernel.writes.get(1).get(V4)).containsExactly(element(9, 3600));
    }

    @Test
    void probe_failure_reachesTheCallerWithItsMessage() {
        kernel.gate.countDown();
        kernel.probeFailure = new SetException(SetError.Kind.MISSING_SET, "ipset gfwlist does not exist");

        assertThatThrownBy(() -> writer.probe(V4)).isInstanceOf(SetException.class)
                .hasMessage("ipset gfwlist does not exist")
                .extracting(e -> ((SetException) e).kind()).isEqualTo(SetError.Kind.MISSING_SET);
        assertThat(kernel.probeThread).isEqualTo("test-writer");
    }

    @Test
    void add_afterClose_failsTheFuture() throws Exception {
        kernel.gate.countDown();
        writer.close();

        CompletableFuture<WriteResult> late = writer.add(V4, List.of(element(1, 60)));

        assertThatThrownBy(late::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(kernel.closed).isTrue();
    }

    @Test
    void addWithCallback_toldOnTheWriterThread_andAfterCloseToldTheWriterIsClosed() throws Exception {
        kernel.gate.countDown();
        CompletableFuture<String> thread = new CompletableFuture<>();
        writer.add(V4, List.of(element(1, 60)), result -> thread.complete(
                Thread.currentThread().getName() + " " + result.written()));
        assertThat(thread.get(5, TimeUnit.SECONDS)).isEqualTo("test-writer 1");

        writer.close();
        CompletableFuture<WriteResult> late = new CompletableFuture<>();
        writer.add(V4, List.of(element(2, 60)), late::complete);

        assertThat(late.get(5, TimeUnit.SECONDS).errors()).singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(SetError.Kind.IO);
            assertThat(error.message()).contains("closed");
        });
    }

    @Test
    void add_kernelWriterThrows_resultCarriesAnIoError() throws Exception {
        kernel.gate.countDown();
        kernel.explode = true;

        WriteResult result = writer.add(V4, List.of(element(1, 60))).get(5, TimeUnit.SECONDS);

        assertThat(result.written()).isZero();
        assertThat(result.errors()).singleElement().extracting(SetError::kind).isEqualTo(SetError.Kind.IO);
    }

    /** A BulkSetWriter that records writes and can hold the first one until released. */
    private static final class FakeKernel implements BulkSetWriter {
        final List<Map<SetTarget, List<SetElement>>> writes = new CopyOnWriteArrayList<>();
        final CountDownLatch firstWriteStarted = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        volatile boolean hold;
        volatile InetAddress reject;
        volatile SetException probeFailure;
        volatile String probeThread;
        volatile boolean explode;
        volatile boolean closed;

        void holdFirstWrite() {
            hold = true;
        }

        @Override
        public Map<SetTarget, List<SetError>> write(Map<SetTarget, List<SetElement>> elementsByTarget) {
            if (explode) {
                throw new IllegalStateException("boom");
            }
            writes.add(Map.copyOf(elementsByTarget));
            if (hold && writes.size() == 1) {
                firstWriteStarted.countDown();
                try {
                    gate.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Map<SetTarget, List<SetError>> errors = new java.util.HashMap<>();
            elementsByTarget.forEach((target, elements) -> {
                List<SetError> list = new ArrayList<>();
                for (SetElement e : elements) {
                    if (e.address().equals(reject)) {
                        list.add(new SetError(target, e.address(), SetError.Kind.REJECTED, "rejected"));
                    }
                }
                errors.put(target, list);
            });
            return errors;
        }

        @Override
        public void probe(SetTarget target) throws SetException {
            probeThread = Thread.currentThread().getName();
            if (probeFailure != null) {
                throw probeFailure;
            }
        }

        @Override
        public void create(SetSpec spec) {}

        @Override
        public void close() {
            closed = true;
        }
    }
}
