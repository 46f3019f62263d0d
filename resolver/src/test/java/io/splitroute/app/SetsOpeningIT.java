package io.splitroute.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitroute.config.ConfigLoader;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.RecordingSetWriter;
import io.splitroute.sink.SetElement;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.SetWriter;
import io.splitroute.sink.WriteResult;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * The set writer opens on a thread of its own while the rest of a start goes on; nothing is answered before it
 * is ready, so the first answer for a listed name still has its addresses in the set before it leaves.
 */
class SetsOpeningIT {
    private static final IpsetTarget GFW4 = new IpsetTarget("gfwlist", AddressFamily.INET);

    private FakeUpstream upstream;
    private Lifecycle lifecycle;
    private int port;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start().answer("www.blocked.example.", Type.A, 300, "192.0.2.1");
        port = RunningResolver.freePort();
    }

    @AfterEach
    void stop() {
        if (lifecycle != null) {
            lifecycle.stop();
        }
        upstream.close();
    }

    private Lifecycle lifecycle(SetWriter writer) throws Exception {
        lifecycle = new Lifecycle(ConfigLoader.parse("""
                listen: ["127.0.0.1:%d"]
                upstreams: { isp: ["%s"] }
                sets: { gfw4: { type: ipset, name: gfwlist } }
                routes:
                  - { name: tunnel, domains: [blocked.example], upstream: isp, sets: [gfw4] }
                """.formatted(port, upstream.udpUri()), "test.yaml", Path.of("."))).withSetWriter(writer);
        return lifecycle;
    }

    @Test
    void start_setWriterSlowToOpen_answersOnlyOnceItIsReady_withTheAddressInTheSet() throws Exception {
        RecordingSetWriter sets = new RecordingSetWriter();
        SlowToOpen writer = new SlowToOpen(sets);
        Lifecycle starting = lifecycle(writer);
        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                starting.start();
            } catch (StartupException e) {
                throw new IllegalStateException(e);
            }
        });
        DnsClient client = new DnsClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));

        assertThat(writer.probing.await(10, TimeUnit.SECONDS)).isTrue();
        byte[] early = client.udpRaw(DnsClient.query("www.blocked.example", Type.A, 1232).toWire(), 300);
        assertThat(early).as("an answer while the set writer was not ready").isNull();
        assertThat(started).isNotDone();

        writer.ready.countDown();
        started.get(10, TimeUnit.SECONDS);
        Message reply = client.udp("www.blocked.example", Type.A);

        assertThat(DnsClient.firstAddress(reply)).isEqualTo("192.0.2.1");
        assertThat(sets.contents(GFW4)).containsKey(InetAddress.getByName("192.0.2.1"));
    }

    @Test
    void start_setMissing_failsNamingTheSet_closesTheWriter_listensNowhere() throws Exception {
        SlowToOpen writer = new SlowToOpen(new RecordingSetWriter());
        writer.missing = true;
        writer.ready.countDown();

        assertThatThrownBy(() -> lifecycle(writer).start())
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("set gfw4")
                .hasMessageContaining("no set gfwlist here");
        lifecycle = null;

        assertThat(writer.closed).isTrue();
        try (DatagramSocket free = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(free.getLocalPort()).isEqualTo(port);
        }
    }

    /** A writer whose probe waits until {@link #ready}, then answers as its delegate does (or: the set is missing). */
    private static final class SlowToOpen implements SetWriter {
        private final RecordingSetWriter delegate;
        final CountDownLatch probing = new CountDownLatch(1);
        final CountDownLatch ready = new CountDownLatch(1);
        volatile boolean missing;
        volatile boolean closed;

        SlowToOpen(RecordingSetWriter delegate) {
            this.delegate = delegate;
        }

        @Override
        public void probe(SetTarget target) throws SetException {
            probing.countDown();
            try {
                if (!ready.await(20, TimeUnit.SECONDS)) {
                    throw new SetException(SetError.Kind.REJECTED, "never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SetException(SetError.Kind.REJECTED, "interrupted");
            }
            if (missing) {
                throw new SetException(SetError.Kind.MISSING_SET, "no set gfwlist here");
            }
            delegate.probe(target);
        }

        @Override
        public CompletableFuture<WriteResult> add(SetTarget target, List<SetElement> elements) {
            return delegate.add(target, elements);
        }

        @Override
        public void create(SetSpec spec) {
            delegate.create(spec);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
