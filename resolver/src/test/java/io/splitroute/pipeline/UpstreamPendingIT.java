package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * A flood of names whose upstream never answers: at most {@code upstream-max-pending} (2000 by default)
 * queries go upstream, the rest get SERVFAIL at once, and every count returns to 0 after the timeouts.
 */
class UpstreamPendingIT {
    private static final int QUERIES = 2500;
    private static final int MAX_PENDING = 2000;
    private static final int BATCH = 100;

    @Test
    void neverAnsweringUpstream_atMostMaxPendingSent_restServfailAtOnce_noCountLeaks() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start();
             DatagramSocket client = new DatagramSocket()) {
            for (int i = 0; i < QUERIES; i++) {
                upstream.silent(name(i));
            }
            try (RunningResolver resolver = RunningResolver.start("""
                    listen: ["${listen}"]
                    admin: off
                    upstreams: { isp: ["%s"] }
                    upstream-timeout: 10s
                    """.formatted(upstream.udpUri()))) {
                MeterRegistry meters = resolver.lifecycle().admin().registry();
                Queue<Message> replies = new ConcurrentLinkedQueue<>();
                Thread reader = Thread.ofVirtual().start(() -> read(client, replies));
                try {
                    for (int sent = 0; sent < QUERIES; ) {
                        for (int j = 0; j < BATCH; j++, sent++) { // a batch, then wait until each was taken in
                            byte[] wire = DnsClient.query(name(sent), Type.A, 1232).toWire();
                            client.send(new DatagramPacket(wire, wire.length, resolver.address()));
                        }
                        int expected = sent;
                        await(() -> pending(meters) + overloaded(meters) == expected, Duration.ofSeconds(20));
                    }
                    assertThat(pending(meters)).isEqualTo(MAX_PENDING);
                    assertThat(overloaded(meters)).isEqualTo(QUERIES - MAX_PENDING);

                    await(() -> replies.size() >= QUERIES - MAX_PENDING, Duration.ofSeconds(5));
                    List<Message> early = List.copyOf(replies);
                    assertThat(pending(meters)).as("the SERVFAILs came before any timeout").isEqualTo(MAX_PENDING);
                    assertThat(early).hasSize(QUERIES - MAX_PENDING)
                            .allMatch(m -> m.getRcode() == Rcode.SERVFAIL)
                            .allMatch(m -> index(m) >= MAX_PENDING);

                    await(() -> replies.size() == QUERIES, Duration.ofSeconds(30));
                    assertThat(replies).allMatch(m -> m.getRcode() == Rcode.SERVFAIL);
                    assertThat(pending(meters)).isZero();
                    assertThat(overloaded(meters)).isEqualTo(QUERIES - MAX_PENDING);
                    assertThat(upstream.queryCount()).isEqualTo(MAX_PENDING);
                    await(() -> resolver.lifecycle().dispatcher().inFlight() == 0, Duration.ofSeconds(5));
                } finally {
                    client.close();
                    reader.join();
                }
            }
        }
    }

    private static String name(int i) {
        return "p" + i + ".flood.test";
    }

    private static int index(Message reply) {
        String label = reply.getQuestion().getName().getLabelString(0);
        return Integer.parseInt(label.substring(1));
    }

    private static long pending(MeterRegistry meters) {
        return (long) meters.get("dns.upstream.pending").gauge().value();
    }

    private static long overloaded(MeterRegistry meters) {
        return (long) meters.get("dns.upstream.overloaded").functionCounter().count();
    }

    private static void read(DatagramSocket socket, Queue<Message> into) {
        byte[] buffer = new byte[65535];
        while (!socket.isClosed()) {
            try {
                socket.setSoTimeout(200);
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                into.add(new Message(java.util.Arrays.copyOf(buffer, packet.getLength())));
            } catch (SocketTimeoutException e) {
                // look at isClosed again
            } catch (java.io.IOException e) {
                return; // closed
            }
        }
    }

    private static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + limit);
            }
            Thread.sleep(10);
        }
    }
}
