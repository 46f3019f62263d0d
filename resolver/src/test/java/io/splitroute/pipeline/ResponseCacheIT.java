package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import io.splitroute.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cache through the whole server: hits with TTLs counted down, negative caching, coalesced misses, SERVFAIL
 * never cached. The server's clock is a {@link ManualTicker}: time passes when a test says so.
 */
class ResponseCacheIT {
    private FakeUpstream upstream;
    private RunningResolver resolver;
    private DnsClient client;
    private final ManualTicker clock = new ManualTicker();

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { isp: ["%s"] }
                upstream-timeout: 500ms
                cache: { size: 1000, min-ttl: 0, max-ttl: 3600 }
                """.formatted(upstream.udpUri()), null, clock);
        client = resolver.client();
    }

    @AfterEach
    void stop() {
        resolver.close();
        upstream.close();
    }

    @Test
    void hit_servedFromCacheWithTtlCountedDown() throws Exception {
        upstream.answer("a.example.", Type.A, 300, "192.0.2.1");
        Message first = client.udp("a.example", Type.A);
        clock.advance(Duration.ofMillis(2100));
        Message second = client.udp("A.EXAMPLE", Type.A);

        assertThat(upstream.queryCount("a.example", Type.A)).isEqualTo(1);
        assertThat(DnsClient.firstAddress(second)).isEqualTo("192.0.2.1");
        long ttl1 = first.getSection(Section.ANSWER).getFirst().getTTL();
        long ttl2 = second.getSection(Section.ANSWER).getFirst().getTTL();
        assertThat(ttl1).isEqualTo(300);
        assertThat(ttl2).isEqualTo(298L);
        assertThat(second.getQuestion().getName().toString()).isEqualTo("A.EXAMPLE.");
        assertThat(second.getHeader().getID()).isNotEqualTo(first.getHeader().getID());
    }

    @Test
    void hit_maxTtlCapsCacheLifetime() throws Exception {
        resolver.close();
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { isp: ["%s"] }
                cache: { max-ttl: 1 }
                """.formatted(upstream.udpUri()), null, clock);
        upstream.answer("short.example.", Type.A, 300, "192.0.2.2");
        resolver.client().udp("short.example", Type.A);
        clock.advance(Duration.ofMillis(1300));
        resolver.client().udp("short.example", Type.A);

        assertThat(upstream.queryCount("short.example", Type.A)).isEqualTo(2);
    }

    @Test
    void negative_nxdomainCachedForSoaMinimum() throws Exception {
        upstream.nxdomain("nx.example.", 600);
        Message first = client.udp("nx.example", Type.A);
        Message second = client.udp("nx.example", Type.A);

        assertThat(first.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(second.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(second.getSection(Section.AUTHORITY)).anyMatch(r -> r.getType() == Type.SOA);
        assertThat(upstream.queryCount("nx.example", Type.A)).isEqualTo(1);
    }

    @Test
    void negative_nodataCachedPerType() throws Exception {
        upstream.answer("v4only.example.", Type.A, 300, "192.0.2.3").nodata("v4only.example.", 600);
        client.udp("v4only.example", Type.AAAA);
        Message again = client.udp("v4only.example", Type.AAAA);
        Message a = client.udp("v4only.example", Type.A);

        assertThat(again.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(again.getSection(Section.ANSWER)).isEmpty();
        assertThat(upstream.queryCount("v4only.example", Type.AAAA)).isEqualTo(1);
        assertThat(DnsClient.firstAddress(a)).isEqualTo("192.0.2.3");
    }

    @Test
    void servfail_neverCached() throws Exception {
        upstream.servfail("flaky.example.");
        Message first = client.udp("flaky.example", Type.A);
        upstream.answer("flaky.example.", Type.A, 300, "192.0.2.4");
        Message second = client.udp("flaky.example", Type.A);

        assertThat(first.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(DnsClient.firstAddress(second)).isEqualTo("192.0.2.4");
    }

    @Test
    void miss_concurrentIdenticalQueriesGoUpstreamOnce() throws Exception {
        upstream.answer("slow.example.", Type.A, 300, "192.0.2.5").delay("slow.example.", Duration.ofMillis(300));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Message>> replies = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                replies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.udp("slow.example", Type.A);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            for (CompletableFuture<Message> reply : replies) {
                assertThat(DnsClient.firstAddress(reply.join())).isEqualTo("192.0.2.5");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(upstream.queryCount("slow.example", Type.A)).isEqualTo(1);
    }

    @Test
    void key_dnssecOkAndPlainAreCachedApart() throws Exception {
        upstream.answer("do.example.", Type.A, 300, "192.0.2.6");
        Message plain = DnsClient.query("do.example", Type.A, 0);
        Message withDo = DnsClient.query("do.example", Type.A, 0);
        withDo.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
        Message r1 = client.udp(plain);
        Message r2 = client.udp(withDo);

        assertThat(r1.getOPT()).as("no OPT for a client that sent none").isNull();
        assertThat(r2.getOPT()).isNotNull();
        assertThat(r2.getOPT().getFlags() & org.xbill.DNS.ExtendedFlags.DO).isNotZero();
        assertThat(upstream.queryCount("do.example", Type.A)).isEqualTo(2);
        Record answer = r2.getSection(Section.ANSWER).getFirst();
        assertThat(answer.getType()).isEqualTo(Type.A);
    }
}
