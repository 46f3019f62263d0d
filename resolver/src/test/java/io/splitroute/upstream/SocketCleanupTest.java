package io.splitroute.upstream;

import static io.splitroute.upstream.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.net.NetTransport;
import io.splitroute.testing.FakeUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Every query's UDP socket is closed when the query ends, however it ends, and reused TCP connections close
 * when the server closes them: no file descriptor leaks.
 */
class SocketCleanupTest {

    private static final Path FDS = Path.of("/proc/self/fd");

    @Test
    void manyQueriesEndingEveryWay_leaveNoSocketOpen() throws Exception {
        assumeTrue(Files.isDirectory(FDS), "needs /proc/self/fd (Linux)");
        try (NetTransport transport = NetTransport.create(2); FakeUpstream fake = FakeUpstream.start()) {
            fake.answer("ok.example.", Type.A, 60, "192.0.2.1")
                    .answer("tc.example.", Type.A, 60, "192.0.2.2").truncateUdp("tc.example.")
                    .silent("quiet.example.").servfail("fail.example.");
            UpstreamOptions options = UpstreamOptions.defaults(transport).withAttemptTimeout(Duration.ofMillis(300));
            Upstream udp = new UdpUpstream(fake.address(), options);
            Upstream tcp = new TcpUpstream(fake.address(), options);
            warmUp(transport, fake); // loads classes and opens Netty's own descriptors before counting
            long before = openFds();

            List<CompletableFuture<Message>> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                for (String name : List.of("ok.example.", "tc.example.", "quiet.example.", "fail.example.")) {
                    all.add(udp.query(query(name, Type.A)));
                    all.add(tcp.query(query(name, Type.A)));
                }
                udp.query(query("quiet.example.", Type.A)).cancel(false); // the caller gives up early
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((r, e) -> null)
                    .get(Queries.HANG_SECONDS, TimeUnit.SECONDS);

            // Reused TCP connections stay open until idle; the server closing them must close ours too.
            fake.closeTcpConnections();
            assertThat(waitForFds(before + 2)).isLessThanOrEqualTo(before + 2);
        }
    }

    private static void warmUp(NetTransport transport, FakeUpstream fake) throws Exception {
        UpstreamOptions patient = UpstreamOptions.defaults(transport).withAttemptTimeout(Duration.ofSeconds(5));
        Queries.await(new UdpUpstream(fake.address(), patient).query(query("tc.example.", Type.A)));
    }

    /** Polls (bounded: 5 s) until at most {@code limit} descriptors are open; closing is asynchronous. */
    private static long waitForFds(long limit) throws IOException, InterruptedException {
        long open = openFds();
        for (int i = 0; i < 100 && open > limit; i++) {
            Thread.sleep(50);
            open = openFds();
        }
        return open;
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        }
    }
}
