package io.splitroute.unlisted;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.Ticker;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.RecordingSetWriter;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import io.splitroute.testing.ManualTicker;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Names on no list with the cache's and the set stage's other features: a stale answer when both sides fail (its
 * verdict kept: a domestic one stays out of the set), the cache file across a restart (the trusted answers'
 * addresses back in the set before the first query, the domestic ones not, the verdicts remembered again), and
 * the trusted answer under the same scrub and filter as a listed route's (out-of-chain records, never-route, the
 * per-answer cap).
 */
class UnlistedCacheIT {
    private static final IpsetTarget SET = new IpsetTarget("gfwlist", AddressFamily.INET);

    @TempDir
    Path dir;
    private FakeUpstream isp;
    private FakeUpstream clean;
    private RecordingSetWriter sets;
    private RunningResolver resolver;

    @BeforeEach
    void upstreams() {
        isp = FakeUpstream.start()
                .answer("www.blocked.test.", Type.A, 300, FakeUpstream.POISON_ADDRESS)
                .answer("www.blocked.test.", Type.MX, 300, "10 mail.blocked.test.")
                .answer("www.home.test.", Type.A, 300, "198.51.100.7");
        clean = FakeUpstream.start()
                .answer("www.blocked.test.", Type.A, 300, "192.0.2.10")
                .answer("www.blocked.test.", Type.MX, 300, "10 mail.blocked.test.")
                .answer("www.home.test.", Type.A, 300, "192.0.2.77");
        sets = new RecordingSetWriter();
    }

    @AfterEach
    void stop() {
        if (resolver != null) {
            resolver.close();
        }
        isp.close();
        clean.close();
    }

    private RunningResolver start(String extra, Ticker ticker) throws Exception {
        Path home = dir.resolve("home.txt");
        if (!Files.exists(home)) {
            Files.writeString(home, "198.51.100.0/24\n");
        }
        return RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { isp: ["%s"], clean: ["%s"] }
                upstream-timeout: 300ms
                ip-lists: { home: { file: %s } }
                sets: { gfw4: { type: ipset, name: gfwlist, family: inet } }
                unlisted: { domestic: isp, trusted: clean, domestic-ips: [home], sets: [gfw4], aaaa: drop }
                admin: off
                """.formatted(isp.udpUri(), clean.udpUri(), home) + extra, sets, ticker);
    }

    private static List<String> addresses(Message reply) {
        return reply.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.A)
                .map(Record::rdataToString).toList();
    }

    @Test
    void bothSidesFail_theStaleAnswerIsServed_withItsVerdict() throws Exception {
        ManualTicker clock = new ManualTicker();
        resolver = start("cache: { stale: 1d }\n", clock);
        DnsClient client = resolver.client();
        client.udp("www.blocked.test", Type.A);
        client.udp("www.home.test", Type.A);
        clock.advance(Duration.ofSeconds(301)); // answers and verdicts expired
        for (FakeUpstream side : List.of(isp, clean)) {
            side.silent("www.blocked.test.").silent("www.home.test.");
        }
        sets.clear();

        Message blocked = client.udp("www.blocked.test", Type.A);
        Message home = client.udp("www.home.test", Type.A);

        assertThat(addresses(blocked)).containsExactly("192.0.2.10");
        assertThat(blocked.getSection(Section.ANSWER)).extracting(Record::getTTL).containsOnly(30L);
        assertThat(addresses(home)).containsExactly("198.51.100.7");
        assertThat(sets.contents(SET)).as("the stale foreign answer is routed; the domestic one is not")
                .containsOnlyKeys(InetAddress.ofLiteral("192.0.2.10"));
        assertThat(resolver.lifecycle().resolver().cache().store().staleServed()).isEqualTo(2);
    }

    @Test
    void restartWithPersistedCache_trustedAddressesBackInTheSet_domesticNot_verdictsRemembered() throws Exception {
        String persist = "cache: { persist: \"%s\" }\n".formatted(dir.resolve("cache.bin"));
        resolver = start(persist, null);
        resolver.client().udp("www.blocked.test", Type.A);
        resolver.client().udp("www.home.test", Type.A);
        resolver.close(); // saves the cache
        resolver = null;
        sets = new RecordingSetWriter();
        isp.clearReceived();
        clean.clearReceived();

        resolver = start(persist, null);

        assertThat(sets.contents(SET)).as("written at start, before any query")
                .containsOnlyKeys(InetAddress.ofLiteral("192.0.2.10"));
        assertThat(addresses(resolver.client().udp("www.home.test", Type.A))).containsExactly("198.51.100.7");
        assertThat(sets.contents(SET)).as("a hit on the restored domestic answer writes nothing")
                .containsOnlyKeys(InetAddress.ofLiteral("192.0.2.10"));
        resolver.client().udp("www.blocked.test", Type.MX);
        assertThat(clean.queryCount("www.blocked.test.", Type.MX)).isEqualTo(1);
        assertThat(isp.queryCount()).as("the foreign verdict came back with the cache file: no domestic query")
                .isZero();
    }

    @Test
    void trustedAnswer_scrubbedAndFiltered_asOnAListedRoute() throws Exception {
        clean.answer("www.many.test.", Type.A, 300, "192.0.2.21", "192.0.2.22", "192.0.2.23", "192.0.2.24")
                .append("www.many.test.", new ARecord(Name.fromString("victim.test."), DClass.IN, 300,
                        InetAddress.ofLiteral("192.0.2.99")));
        isp.answer("www.many.test.", Type.A, 300, FakeUpstream.POISON_ADDRESS);
        resolver = start("never-route: [192.0.2.21/32]\nset-max-addresses: 2\n", null);

        Message reply = resolver.client().udp("www.many.test", Type.A);

        assertThat(addresses(reply)).as("the out-of-chain record is removed, the rest served")
                .containsExactly("192.0.2.21", "192.0.2.22", "192.0.2.23", "192.0.2.24");
        assertThat(sets.contents(SET)).as("never-route kept out, then the first two")
                .containsOnlyKeys(InetAddress.ofLiteral("192.0.2.22"), InetAddress.ofLiteral("192.0.2.23"));
    }
}
