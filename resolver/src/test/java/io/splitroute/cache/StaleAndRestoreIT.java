package io.splitroute.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.sink.KernelSetWriter;
import io.splitroute.sink.TestNamespace;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import io.splitroute.testing.ManualTicker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The whole server with a real ipset in a network namespace the test creates: when the upstream stops answering,
 * a known name still gets its (stale) answer within a second and its address still lands in the set, and the first
 * answer from the recovered upstream replaces it; after a restart with {@code cache: { persist }}, the set holds
 * the cached addresses again before any client asks.
 */
class StaleAndRestoreIT {
    private static final String NAME = "www.blocked.example";
    private static TestNamespace ns;

    @TempDir
    Path dir;
    private FakeUpstream upstream;
    private RunningResolver resolver;

    @BeforeAll
    static void namespace() {
        assumeTrue(TestNamespace.available(), "needs root and ip netns");
        ns = TestNamespace.create("cache");
    }

    @AfterAll
    static void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @BeforeEach
    void start() {
        ns.execAllowingFailure("ipset", "destroy");
        ns.exec("ipset", "create", "gfwlist", "hash:ip", "timeout", "0");
        upstream = FakeUpstream.start().answer(NAME + ".", Type.A, 600, "192.0.2.1");
    }

    @AfterEach
    void stop() {
        if (resolver != null) {
            resolver.close();
        }
        upstream.close();
    }

    private RunningResolver resolver(ManualTicker clock) throws Exception {
        return resolver(clock, "");
    }

    private RunningResolver resolver(ManualTicker clock, String extra) throws Exception {
        return RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { clean: ["%s"] }
                upstream-timeout: 300ms
                sets: { gfw4: { type: ipset, name: gfwlist } }
                routes: [{ name: tunnel, domains: [blocked.example], upstream: clean, sets: [gfw4] }]
                default-upstream: clean
                set-timeout: { min: 300, max: 86400, grace: 60 }
                cache: { stale: 1d, persist: "%s" }
                """.formatted(upstream.udpUri(), dir.resolve("cache.bin")) + extra, KernelSetWriter.open(ns.path()),
                clock);
    }

    private static long ipsetTimeout(String address) {
        String listing = ns.exec("ipset", "list", "gfwlist");
        Matcher m = Pattern.compile(Pattern.quote(address) + " timeout (\\d+)").matcher(listing);
        assertThat(m.find()).as("%s in%n%s", address, listing).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void upstreamSilent_knownNameAnsweredStaleWithinASecond_andItsAddressInTheSet() throws Exception {
        ManualTicker clock = new ManualTicker();
        resolver = resolver(clock);
        DnsClient client = resolver.client();
        assertThat(DnsClient.firstAddress(client.udp(NAME, Type.A))).isEqualTo("192.0.2.1");
        upstream.silent(NAME + ".");
        clock.advance(Duration.ofSeconds(601));
        ns.exec("ipset", "flush", "gfwlist");

        long started = System.nanoTime();
        Message stale = client.udp(NAME, Type.A);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(millis).as("answered after the 300 ms upstream timeout, well within a second").isLessThan(1000);
        assertThat(DnsClient.firstAddress(stale)).isEqualTo("192.0.2.1");
        assertThat(stale.getSection(Section.ANSWER)).extracting(Record::getTTL).containsOnly(30L);
        assertThat(ipsetTimeout("192.0.2.1")).as("the shortest set timeout").isBetween(290L, 300L);
        assertThat(resolver.lifecycle().resolver().cache().store().staleServed()).isEqualTo(1);

        upstream.forget(NAME + ".").answer(NAME + ".", Type.A, 600, "192.0.2.9");
        clock.advance(Duration.ofSeconds(31));
        assertThat(DnsClient.firstAddress(client.udp(NAME, Type.A))).as("still stale, refreshed in the background")
                .isEqualTo("192.0.2.1");
        String answer = "192.0.2.1";
        for (int i = 0; i < 100 && !answer.equals("192.0.2.9"); i++) {
            Thread.sleep(20); // the background refresh is a real round trip to the fake upstream
            answer = DnsClient.firstAddress(client.udp(NAME, Type.A));
        }
        assertThat(answer).isEqualTo("192.0.2.9");
        assertThat(ipsetTimeout("192.0.2.9")).isBetween(600L, 660L);
    }

    @Test
    void restartWithPersistedCache_setHoldsTheAddressBeforeTheFirstQuery() throws Exception {
        resolver = resolver(null);
        resolver.client().udp(NAME, Type.A);
        resolver.close(); // saves the cache
        resolver = null;
        assertThat(dir.resolve("cache.bin")).exists();
        ns.exec("ipset", "flush", "gfwlist");
        assertThat(ns.exec("ipset", "list", "gfwlist")).doesNotContain("192.0.2.1");

        resolver = resolver(null);

        assertThat(ipsetTimeout("192.0.2.1")).as("remaining TTL plus grace").isBetween(600L, 660L);
        Message reply = resolver.client().udp(NAME, Type.A);
        assertThat(DnsClient.firstAddress(reply)).isEqualTo("192.0.2.1");
        assertThat(upstream.queryCount(NAME, Type.A)).as("answered from the restored cache").isEqualTo(1);
        assertThat(Files.size(dir.resolve("cache.bin"))).isPositive();
    }

    @Test
    void restartWithPersistedCache_addressNowOnNeverRoute_notWrittenBack() throws Exception {
        upstream.answer("www." + NAME + ".", Type.A, 600, "192.0.2.1", "192.0.2.2");
        resolver = resolver(null);
        resolver.client().udp("www." + NAME, Type.A);
        resolver.close();
        resolver = null;
        ns.exec("ipset", "flush", "gfwlist");

        resolver = resolver(null, "never-route: [192.0.2.2/32]\n");

        String listing = ns.exec("ipset", "list", "gfwlist");
        assertThat(listing).contains("192.0.2.1").doesNotContain("192.0.2.2");
    }
}
