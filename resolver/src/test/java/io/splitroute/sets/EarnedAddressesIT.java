package io.splitroute.sets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.sink.KernelSetWriter;
import io.splitroute.sink.TestNamespace;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.HTTPSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Only what the question earned reaches a real ipset (in a network namespace the test creates): an upstream
 * that appends records for other names, CNAME chains and loops, hints, the per-answer cap, never-route, and
 * the query log's record of what was written.
 */
class EarnedAddressesIT {
    private static TestNamespace ns;
    private FakeUpstream upstream;
    private KernelSetWriter writer;
    private RunningResolver resolver;
    @TempDir
    Path dir;

    @BeforeAll
    static void namespace() {
        assumeTrue(TestNamespace.available(), "needs root and ip netns");
        ns = TestNamespace.create("earned");
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
        upstream = FakeUpstream.start();
        writer = KernelSetWriter.open(ns.path());
    }

    @AfterEach
    void stop() {
        if (resolver != null) {
            resolver.close();
        }
        writer.close();
        upstream.close();
    }

    /** A long write deadline: the reply leaves after the kernel's ack even on a loaded machine. */
    private void resolver(String more) throws Exception {
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                admin: off
                upstreams: { clean: ["%s"] }
                sets: { gfw4: { type: ipset, name: gfwlist } }
                routes: [{ name: tunnel, domains: [blocked.example], upstream: clean, sets: [gfw4] }]
                set-write-deadline: 5s
                %s
                """.formatted(upstream.udpUri(), more), writer);
    }

    /** The addresses in the kernel set now. */
    private static Set<String> members() {
        String listing = ns.exec("ipset", "list", "gfwlist");
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(\\S+) timeout \\d+").matcher(listing.substring(listing.indexOf("Members:")));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private long dropped(String reason) {
        return (long) resolver.lifecycle().admin().registry().get("dns.upstream.dropped").tag("reason", reason)
                .functionCounter().count();
    }

    private static Record a(String name, String address) throws Exception {
        return new ARecord(Name.fromString(name), DClass.IN, 86400, InetAddress.getByName(address));
    }

    private static List<String> answerNames(Message reply) {
        return reply.getSection(Section.ANSWER).stream().map(r -> r.getName().toString().toLowerCase()).toList();
    }

    @Test
    void foreignRecordAppended_onlyTheQuestionsAddressInTheSetAndNeverServed() throws Exception {
        upstream.answer("www.blocked.example.", Type.A, 600, "192.0.2.1")
                .append("www.blocked.example.", a("victim.example.", "203.0.113.66"));
        resolver("");

        Message first = resolver.client().udp("www.blocked.example", Type.A);
        assertThat(members()).containsExactly("192.0.2.1");
        ns.exec("ipset", "flush", "gfwlist");
        Message hit = resolver.client().udp("www.blocked.example", Type.A);

        assertThat(upstream.queryCount("www.blocked.example", Type.A)).isEqualTo(1);
        assertThat(members()).as("the cache hit wrote the question's address again, and only it")
                .containsExactly("192.0.2.1");
        assertThat(answerNames(first)).containsExactly("www.blocked.example.");
        assertThat(answerNames(hit)).containsExactly("www.blocked.example.");
        assertThat(dropped("out-of-chain")).isEqualTo(1);
    }

    @Test
    void cnameChainAcrossThreeNames_everyOwnedAddressWritten() throws Exception {
        upstream.cname("www.blocked.example.", 300, "a.cdn.test.").cname("a.cdn.test.", 300, "b.edge.test.")
                .answer("b.edge.test.", Type.A, 300, "198.51.100.9", "198.51.100.10")
                .append("www.blocked.example.", a("A.CDN.Test.", "198.51.100.20"), a("c.other.test.", "198.51.100.30"));
        resolver("");

        Message reply = resolver.client().udp("www.blocked.example", Type.A);

        assertThat(members()).containsExactly("198.51.100.10", "198.51.100.20", "198.51.100.9");
        assertThat(answerNames(reply)).doesNotContain("c.other.test.");
        assertThat(dropped("out-of-chain")).isEqualTo(1);
    }

    @Test
    void cnameLoop_answeredAndOnlyTheLoopsOwnAddressWritten() throws Exception {
        upstream.cname("loop.blocked.example.", 300, "back.loop.test.").cname("back.loop.test.", 300, "loop.blocked.example.")
                .append("loop.blocked.example.", a("back.loop.test.", "192.0.2.77"), a("elsewhere.test.", "192.0.2.78"));
        resolver("");

        Message reply = resolver.client().udp("loop.blocked.example", Type.A);

        assertThat(reply.getSection(Section.ANSWER)).extracting(Record::getType).contains(Type.CNAME);
        assertThat(members()).containsExactly("192.0.2.77");
    }

    @Test
    void hintOnARecordOutsideTheChain_ignored() throws Exception {
        Name owner = Name.fromString("h.blocked.example.");
        upstream.answer(https(owner, "192.0.2.44"))
                .append("h.blocked.example.", https(Name.fromString("victim.example."), "203.0.113.67"));
        resolver("");

        Message reply = resolver.client().udp("h.blocked.example", Type.HTTPS);

        assertThat(members()).containsExactly("192.0.2.44");
        assertThat(answerNames(reply)).containsExactly("h.blocked.example.");
        assertThat(dropped("out-of-chain")).isEqualTo(1);
    }

    private static HTTPSRecord https(Name owner, String hint) throws Exception {
        return new HTTPSRecord(owner, DClass.IN, 300, 1, Name.root,
                List.of(new SVCBBase.ParameterIpv4Hint(List.of((Inet4Address) InetAddress.getByName(hint)))));
    }

    @Test
    void fortyAddresses_first32WrittenAndTheCutCounted() throws Exception {
        upstream.largeAnswer("big.blocked.example.", 40, 300);
        resolver("");

        Message reply = resolver.client().tcp(io.splitroute.support.DnsClient.query("big.blocked.example", Type.A, 0));
        resolver.client().udp("big.blocked.example", Type.A); // a cache hit: filtered the same way, not counted again

        List<String> answered = reply.getSection(Section.ANSWER).stream()
                .map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
        assertThat(answered).hasSize(40);
        assertThat(members()).hasSize(32).containsAll(answered.subList(0, 32));
        assertThat(dropped("cap")).isEqualTo(8);
    }

    @Test
    void neverRoute_defaultsConfiguredNetworksAndTheTunnelEndpointDroppedAndCounted() throws Exception {
        Path wg = Files.writeString(dir.resolve("wg0.conf"), """
                [Interface]
                PrivateKey = x
                [Peer]
                Endpoint = 203.0.113.201:51820
                """);
        upstream.answer("www.blocked.example.", Type.A, 600, "192.0.2.1", "127.0.0.1", "0.0.0.0", "224.0.0.251",
                "169.254.1.1", "203.0.113.200", "203.0.113.201", "198.51.100.5");
        resolver("never-route: [203.0.113.200/32]\nnever-route-wireguard: " + wg);

        Message reply = resolver.client().udp("www.blocked.example", Type.A);

        assertThat(reply.getSection(Section.ANSWER)).hasSize(8);
        assertThat(members()).containsExactly("192.0.2.1", "198.51.100.5");
        assertThat(dropped("never-route")).isEqualTo(6);
    }

    @Test
    void queryLog_addressesAreWhatTheSetHolds() throws Exception {
        Path log = dir.resolve("queries.jsonl");
        upstream.cname("www.blocked.example.", 300, "edge.cdn.test.").answer("edge.cdn.test.", Type.A, 300,
                        "198.51.100.7", "127.0.0.2")
                .append("www.blocked.example.", a("victim.example.", "203.0.113.66"));
        resolver("query-log: { enabled: true, file: \"" + log + "\" }");

        resolver.client().udp("www.blocked.example", Type.A);

        String line = awaitLine(log, "www.blocked.example");
        Matcher m = Pattern.compile("\"addresses\":\\[([^]]*)]").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        Set<String> logged = new TreeSet<>(List.of(m.group(1).replace("\"", "").split(",")));
        assertThat(logged).isEqualTo(members()).containsExactly("198.51.100.7");
    }

    private static String awaitLine(Path log, String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains(name)) {
                        return line;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no query log line for " + name + " in " + log);
    }
}
