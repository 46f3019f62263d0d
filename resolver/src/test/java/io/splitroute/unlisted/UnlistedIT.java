package io.splitroute.unlisted;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.RecordingSetWriter;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Names on no list through the whole server, with no domain list at all: a domestic resolver that poisons
 * {@code *.blocked.test} with {@link FakeUpstream#POISON_ADDRESS} and a trusted one with the true addresses, the
 * range 198.51.100.0/24 "domestic" by a cidr list, and a recording set writer.
 */
class UnlistedIT {
    private static final IpsetTarget SET = new IpsetTarget("gfwlist", AddressFamily.INET);

    @TempDir
    Path dir;
    private FakeUpstream isp;
    private FakeUpstream clean;
    private RecordingSetWriter sets;
    private RunningResolver resolver;
    private DnsClient client;

    @BeforeEach
    void start() throws Exception {
        isp = FakeUpstream.start()
                .answer("www.blocked.test.", Type.A, 300, FakeUpstream.POISON_ADDRESS)
                .answer("www.blocked.test.", Type.MX, 300, "10 mail.blocked.test.")
                .answer("www.home.test.", Type.A, 300, "198.51.100.7")
                .answer("www.listed.test.", Type.A, 300, "198.51.100.8", "192.0.2.8");
        clean = FakeUpstream.start()
                .answer("www.blocked.test.", Type.A, 300, "192.0.2.10")
                .answer("www.blocked.test.", Type.MX, 300, "10 mail.blocked.test.")
                .answer("www.home.test.", Type.A, 300, "192.0.2.77")
                .answer("www.listed.test.", Type.A, 300, "198.51.100.8", "192.0.2.8");
        Path home = Files.writeString(dir.resolve("home.txt"), "# the lab's domestic range\n198.51.100.0/24\n");
        Path mine = Files.writeString(dir.resolve("mine.txt"), "listed.test\n");
        sets = new RecordingSetWriter();
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { isp: ["%s"], clean: ["%s"] }
                lists: { mine: { file: %s, format: domains } }
                ip-lists: { home: { file: %s } }
                sets: { gfw4: { type: ipset, name: gfwlist, family: inet } }
                routes:
                  - { name: tunnel, lists: [mine], upstream: clean, sets: [gfw4], exclude-ips: [home] }
                unlisted: { domestic: isp, trusted: clean, domestic-ips: [home], sets: [gfw4], aaaa: drop }
                query-log: { enabled: true, file: %s }
                admin: { listen: "127.0.0.1:%d" }
                """.formatted(isp.udpUri(), clean.udpUri(), mine, home, dir.resolve("queries.jsonl"),
                RunningResolver.freePort()), sets);
        client = resolver.client();
    }

    @AfterEach
    void stop() {
        if (resolver != null) {
            resolver.close();
        }
        isp.close();
        clean.close();
    }

    private static List<String> addresses(Message reply) {
        return reply.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.A)
                .map(Record::rdataToString).toList();
    }

    private List<String> explain(String name) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.TXT, DClass.CH));
        Record txt = client.udp(q).getSection(Section.ANSWER).getFirst();
        return ((TXTRecord) txt).getStrings();
    }

    @Test
    void blockedName_getsTheTrustedAnswerNotThePoison_writtenToTheSetBeforeTheReply() throws Exception {
        Message reply = client.udp("www.blocked.test", Type.A);

        assertThat(addresses(reply)).containsExactly("192.0.2.10");
        assertThat(sets.contents(SET)).containsOnlyKeys(InetAddress.ofLiteral("192.0.2.10"));
        assertThat(isp.queryCount("www.blocked.test.", Type.A)).isEqualTo(1);
        assertThat(clean.queryCount("www.blocked.test.", Type.A)).isEqualTo(1);
        assertThat(explain("www.blocked.test")).startsWith("route=unlisted", "verdict=foreign",
                "addresses=" + FakeUpstream.POISON_ADDRESS, "ip-list=home",
                "reason=" + FakeUpstream.POISON_ADDRESS + " is not in home");
    }

    @Test
    void domesticName_getsTheDomesticAnswer_andStaysOutOfTheSet_alsoOnCacheHits() throws Exception {
        assertThat(addresses(client.udp("www.home.test", Type.A))).containsExactly("198.51.100.7");
        assertThat(addresses(client.udp("www.home.test", Type.A))).containsExactly("198.51.100.7");

        assertThat(sets.contents(SET)).isEmpty();
        assertThat(sets.history()).isEmpty();
        assertThat(explain("www.home.test")).contains("verdict=domestic", "addresses=198.51.100.7", "ip-list=home",
                "upstream=isp");
    }

    @Test
    void cacheHit_refreshesTheSet_andALaterMissOfTheNameAsksOnlyTheTrustedSide() throws Exception {
        client.udp("www.blocked.test", Type.A);
        sets.clear();

        assertThat(addresses(client.udp("www.blocked.test", Type.A))).containsExactly("192.0.2.10");
        assertThat(sets.contents(SET)).as("a cache hit writes again").containsOnlyKeys(InetAddress.ofLiteral("192.0.2.10"));

        Message mx = client.udp("www.blocked.test", Type.MX);
        assertThat(mx.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(clean.queryCount("www.blocked.test.", Type.MX)).isEqualTo(1);
        assertThat(isp.queryCount("www.blocked.test.", Type.MX)).as("the verdict is remembered: foreign").isZero();
    }

    @Test
    void unknownName_beforeItsFirstAnswer_isUndecided() throws Exception {
        assertThat(explain("never.asked.test")).startsWith("route=unlisted", "verdict=undecided")
                .contains("upstream=isp, clean", "domestic-ips=home");
    }

    @Test
    void listedRoute_excludeIps_keepsDomesticAddressesOutOfItsSet() throws Exception {
        Message reply = client.udp("www.listed.test", Type.A);

        assertThat(addresses(reply)).containsExactlyInAnyOrder("198.51.100.8", "192.0.2.8");
        assertThat(sets.contents(SET)).containsOnlyKeys(InetAddress.ofLiteral("192.0.2.8"));
        assertThat(explain("www.listed.test")).contains("route=tunnel", "exclude-ips=home");
    }

    @Test
    void queryLog_readsTheVerdictOfTheReply() throws Exception {
        client.udp("www.blocked.test", Type.A);
        client.udp("www.home.test", Type.A);
        Path log = dir.resolve("queries.jsonl");

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (lines(log) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"name\":\"www.blocked.test\"", "\"route\":\"unlisted\"",
                "\"upstream\":\"clean\"", "\"sets\":[\"gfw4\"]", "\"addresses\":[\"192.0.2.10\"]",
                "\"verdict\":\"foreign\"", "\"verdict_reason\":\"foreign-address\"", "\"verdict_list\":\"home\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"name\":\"www.home.test\"", "\"upstream\":\"isp\"",
                "\"verdict\":\"domestic\"").doesNotContain("\"sets\""));
    }

    @Test
    void metrics_countVerdictsAndSidesAndTheIpList() throws Exception {
        client.udp("www.blocked.test", Type.A);
        client.udp("www.blocked.test", Type.MX);
        client.udp("www.home.test", Type.A);

        List<String> scrape = resolver.lifecycle().admin().registry().scrape().lines().toList();
        assertThat(scrape).contains(
                "dns_unlisted_verdicts_total{remembered=\"false\",verdict=\"foreign\"} 1.0",
                "dns_unlisted_verdicts_total{remembered=\"true\",verdict=\"foreign\"} 1.0",
                "dns_unlisted_verdicts_total{remembered=\"false\",verdict=\"domestic\"} 1.0",
                "dns_unlisted_upstream_queries_total{side=\"domestic\"} 2.0",
                "dns_unlisted_upstream_queries_total{side=\"trusted\"} 3.0",
                "dns_unlisted_remembered 2.0",
                "lists_rules{list=\"home\"} 1.0",
                "lists_rules{list=\"mine\"} 1.0",
                "lists_loaded{list=\"home\"} 1.0");
    }

    private static long lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }
}
