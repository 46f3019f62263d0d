package io.splitroute.upstream;

import static io.splitroute.upstream.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.net.NetTransport;
import io.splitroute.testing.FakeUpstream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** Closing a group a reload replaced: its connections go once the queries on them are answered. */
class UpstreamCloseTest {

    private static NetTransport transport;
    private FakeUpstream fake;

    @BeforeAll
    static void startTransport() {
        transport = NetTransport.create(1);
    }

    @AfterAll
    static void stopTransport() {
        transport.close();
    }

    @BeforeEach
    void startFake() {
        fake = FakeUpstream.start().answer("a.example.", Type.A, 60, "192.0.2.1");
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    @Test
    void close_tcpConnectionClosesOnceItsQueryIsAnswered() throws Exception {
        fake.answer("slow.example.", Type.A, 60, "192.0.2.2").delay("slow.example.", Duration.ofMillis(300));
        UpstreamGroup clean = new UpstreamFactory().group("clean", List.of(fake.tcpUri()), UpstreamOptions.defaults(transport));
        UpstreamStats stats = clean.stats().get(fake.tcpUri());
        CompletableFuture<Message> slow = clean.query(query("slow.example.", Type.A));
        while (fake.queryCount("slow.example.", Type.A) == 0) {
            Thread.sleep(5);
        }

        clean.close();

        assertThat(stats.openConnections()).as("open while its query is in flight").isEqualTo(1);
        assertThat(slow.get(Queries.HANG_SECONDS, TimeUnit.SECONDS).getRcode()).isZero();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (stats.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(stats.openConnections()).as("closed after the reply, not after the idle time").isZero();
        assertThat(fake.tcpConnections()).isEqualTo(1);
    }

    @Test
    void close_idleConnectionClosesAtOnce_aLaterQueryIsStillAnswered() throws Exception {
        UpstreamGroup clean = new UpstreamFactory().group("clean", List.of(fake.udpUri(), fake.tcpUri()),
                UpstreamOptions.defaults(transport));
        UpstreamStats tcp = clean.stats().get(fake.tcpUri());
        Queries.await(clean.servers().get(1).query(query("a.example.", Type.A)));
        assertThat(tcp.openConnections()).isEqualTo(1);

        clean.close();

        long deadline = System.nanoTime() + 2_000_000_000L;
        while (tcp.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(tcp.openConnections()).isZero();
        assertThat(Queries.await(clean.servers().get(1).query(query("a.example.", Type.A))).getRcode()).isZero();
        deadline = System.nanoTime() + 2_000_000_000L;
        while (tcp.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(tcp.openConnections()).as("the later query's connection went with its reply").isZero();
    }
}
