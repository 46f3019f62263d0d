package io.splitroute.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * splitroute and dnsmasq side by side on loopback, forwarding to the same two knot upstreams with the same
 * per-domain route, must give the same answers to the same queries: rcode, and the answer section as a
 * set of (owner, type, data). TTLs are not compared (they count down at different moments).
 *
 * <p>The query set is asked four times of each server: over UDP without EDNS with a cold cache (the
 * 40-address answer comes back truncated and is asked again over TCP), over UDP again (now cache hits),
 * over TCP, and over UDP with EDNS0 (payload 1232). Each query also carries the rcode and
 * A/AAAA addresses the zones below imply, so the test fails if both servers are wrong the same way.
 */
class DnsmasqComparisonIT {

    /** Served by the default upstream. */
    private static final String CMP_ZONE = """
            $ORIGIN cmp.test.
            $TTL 300
            @        SOA ns.cmp.test. hostmaster.cmp.test. 1 3600 600 86400 60
            @        NS  ns
            ns       A   192.0.2.53
            www      A   192.0.2.10
            multi    A   192.0.2.11
            multi    A   192.0.2.12
            multi    A   192.0.2.13
            v6       AAAA 2001:db8::10
            dual     A   192.0.2.14
            dual     AAAA 2001:db8::14
            alias    CNAME www
            chain1   CNAME chain2
            chain2   CNAME chain3
            chain3   A   192.0.2.15
            outside  CNAME www.example.org.
            mail     MX  10 mx1
            mail     MX  20 mx2
            mx1      A   192.0.2.25
            mx2      A   192.0.2.26
            txt      TXT "v=spf1 -all"
            txt      TXT "hello" "world"
            *.wild   A   192.0.2.30
            """ + IntStream.rangeClosed(1, 40)
            .mapToObj(i -> "big      A   192.0.2." + (100 + i) + "\n").collect(Collectors.joining());

    /** Served only by the second upstream: a query routed to the default one gets REFUSED from knot. */
    private static final String ORG_ZONE = """
            $ORIGIN example.org.
            $TTL 300
            @        SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 60
            @        NS  ns
            ns       A   198.51.100.53
            www      A   198.51.100.7
            *.sub    A   198.51.100.8
            """;

    /** One question and what the zones say the answer must be (A/AAAA data in the answer section). */
    private record Query(String name, int type, int rcode, Set<String> addresses) {
        static Query of(String name, int type, int rcode, String... addresses) {
            Set<String> canonical = Stream.of(addresses).map(Outcome::canonical).collect(Collectors.toSet());
            return new Query(name, type, rcode, canonical);
        }

        @Override
        public String toString() {
            return name + " " + Type.string(type);
        }
    }

    private static final int NOERROR = Rcode.NOERROR;
    private static final int NXDOMAIN = Rcode.NXDOMAIN;
    private static final int A = Type.A;
    private static final int AAAA = Type.AAAA;

    private static final List<Query> QUERIES = List.of(
            Query.of("www.cmp.test", A, NOERROR, "192.0.2.10"),
            Query.of("WwW.CmP.tEsT", A, NOERROR, "192.0.2.10"),
            Query.of("multi.cmp.test", A, NOERROR, "192.0.2.11", "192.0.2.12", "192.0.2.13"),
            Query.of("v6.cmp.test", AAAA, NOERROR, "2001:db8::10"),
            Query.of("dual.cmp.test", A, NOERROR, "192.0.2.14"),
            Query.of("dual.cmp.test", AAAA, NOERROR, "2001:db8::14"),
            Query.of("alias.cmp.test", A, NOERROR, "192.0.2.10"),
            Query.of("alias.cmp.test", Type.CNAME, NOERROR),
            Query.of("chain1.cmp.test", A, NOERROR, "192.0.2.15"),
            Query.of("chain1.cmp.test", AAAA, NOERROR),
            Query.of("mail.cmp.test", Type.MX, NOERROR),
            Query.of("txt.cmp.test", Type.TXT, NOERROR),
            Query.of("cmp.test", Type.SOA, NOERROR),
            Query.of("cmp.test", Type.NS, NOERROR),
            Query.of("x.wild.cmp.test", A, NOERROR, "192.0.2.30"),
            Query.of("x.wild.cmp.test", Type.TXT, NOERROR),
            Query.of("www.cmp.test", AAAA, NOERROR),
            Query.of("www.cmp.test", Type.MX, NOERROR),
            Query.of("nope.cmp.test", A, NXDOMAIN),
            Query.of("nope.cmp.test", AAAA, NXDOMAIN),
            Query.of("deep.nope.cmp.test", A, NXDOMAIN),
            Query.of("big.cmp.test", A, NOERROR, IntStream.rangeClosed(101, 140)
                    .mapToObj(i -> "192.0.2." + i).toArray(String[]::new)),
            Query.of("www.example.org", A, NOERROR, "198.51.100.7"),
            Query.of("a.sub.example.org", A, NOERROR, "198.51.100.8"),
            Query.of("nope.example.org", A, NXDOMAIN),
            Query.of("example.org", Type.SOA, NOERROR));

    /**
     * Differences we mean to have, by query ({@code "name TYPE"}) and why. A query listed here is still
     * asked and still checked against the zones, only not against dnsmasq. None in {@link #QUERIES}; the
     * one deliberate difference found so far needs a sequence of queries: see
     * {@link #cnameIntoRoutedDomain_routedNameKeepsItsOwnUpstreamsAnswer()}.
     */
    private static final Map<String, String> DELIBERATE_DIFFERENCES = Map.of();

    private final List<AutoCloseable> started = new ArrayList<>();
    private DnsmasqServer dnsmasq;
    private SplitrouteServer splitroute;

    @BeforeEach
    void startServers() throws IOException {
        assumeTrue(Executables.find("dnsmasq").isPresent(), "dnsmasq not installed (apt-get install dnsmasq-base)");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "DnsmasqComparisonIT-");
        KnotServer main = start(KnotServer.start(dir.resolve("knot-main"), Map.of("cmp.test", CMP_ZONE)));
        KnotServer org = start(KnotServer.start(dir.resolve("knot-org"), Map.of("example.org", ORG_ZONE)));
        dnsmasq = start(DnsmasqServer.start(dir.resolve("dnsmasq"), List.of(
                "--server=127.0.0.1#" + main.port(),
                "--server=/example.org/127.0.0.1#" + org.port(),
                "--cache-size=1000"), "ns.cmp.test"));
        splitroute = start(SplitrouteServer.start(dir.resolve("splitroute"), """
                upstreams:
                  main: ["udp://127.0.0.1:%d"]
                  org: ["udp://127.0.0.1:%d"]
                routes:
                  - { name: org, domains: [example.org], upstream: org }
                default-upstream: main
                cache: { size: 1000, min-ttl: 0, max-ttl: 86400 }
                acl: ["127.0.0.0/8", "::1/128"]
                """.formatted(main.port(), org.port()), "ns.cmp.test", false));
    }

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : started.reversed()) {
            server.close();
        }
    }

    @Test
    void sameQueries_sameAnswersAsDnsmasq() throws IOException {
        List<String> differences = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (String pass : List.of("udp, cold cache", "udp, cached", "tcp, cached", "udp+edns, cached")) {
            LoopbackResolver toSplitroute = resolver(splitroute.port(), pass);
            LoopbackResolver toDnsmasq = resolver(dnsmasq.port(), pass);
            for (Query query : QUERIES) {
                Outcome ours = Outcome.of(toSplitroute.ask(query.name(), query.type()));
                Outcome theirs = Outcome.of(toDnsmasq.ask(query.name(), query.type()));
                checkAgainstZone(pass, query, "splitroute", ours, wrong);
                checkAgainstZone(pass, query, "dnsmasq", theirs, wrong);
                if (!ours.equals(theirs) && !DELIBERATE_DIFFERENCES.containsKey(query.toString())) {
                    differences.add("[" + pass + "] " + query
                            + "\n    splitroute: " + ours + "\n    dnsmasq:    " + theirs);
                }
            }
        }
        if (!differences.isEmpty() || !wrong.isEmpty()) {
            fail(differences.size() + " difference(s) from dnsmasq, "
                    + wrong.size() + " answer(s) not what the zone says\n"
                    + String.join("\n", differences) + "\n" + String.join("\n", wrong)
                    + "\n\n" + splitroute.describe());
        }
    }

    /**
     * Deliberate difference: {@code outside.cmp.test} (default upstream) is a CNAME to {@code www.example.org}
     * (routed to the other upstream). The default upstream is not authoritative for example.org, so its
     * reply holds the CNAME alone. dnsmasq 2.90 then caches "www.example.org is NODATA-IPv4" from that reply
     * (its log says so), overwriting the good answer it had from example.org's own upstream, and answers
     * the routed name from it: the wrong upstream decides the routed name. splitroute caches a reply under
     * the question and route it was asked for, so the routed name keeps its own upstream's answer. The
     * first two answers must still agree with dnsmasq; only the third differs, and splitroute must be right.
     */
    @Test
    void cnameIntoRoutedDomain_routedNameKeepsItsOwnUpstreamsAnswer() throws IOException {
        LoopbackResolver toSplitroute = resolver(splitroute.port(), "udp");
        LoopbackResolver toDnsmasq = resolver(dnsmasq.port(), "udp");
        List<Query> sequence = List.of(
                Query.of("www.example.org", A, NOERROR, "198.51.100.7"),
                Query.of("outside.cmp.test", A, NOERROR),
                Query.of("www.example.org", A, NOERROR, "198.51.100.7"));
        List<String> wrong = new ArrayList<>();
        List<Outcome> fromDnsmasq = new ArrayList<>();
        for (Query query : sequence) {
            Outcome ours = Outcome.of(toSplitroute.ask(query.name(), query.type()));
            Outcome theirs = Outcome.of(toDnsmasq.ask(query.name(), query.type()));
            checkAgainstZone("sequence", query, "splitroute", ours, wrong);
            fromDnsmasq.add(theirs);
            if (fromDnsmasq.size() < sequence.size() && !ours.equals(theirs)) {
                wrong.add(query + ": splitroute " + ours + ", dnsmasq " + theirs);
            }
        }
        assertThat(wrong).as("dnsmasq answered %s; %s", fromDnsmasq, splitroute.describe()).isEmpty();
        assertThat(fromDnsmasq.get(1).answers()).containsExactly("outside.cmp.test. CNAME www.example.org.");
    }

    private static void checkAgainstZone(String pass, Query query, String server, Outcome outcome, List<String> wrong) {
        if (outcome.rcode() != query.rcode() || !outcome.addresses().equals(query.addresses())) {
            wrong.add("[" + pass + "] " + query + " from " + server + ": " + outcome
                    + "\n    expected " + Rcode.string(query.rcode()) + " " + query.addresses());
        }
    }

    /** A client for {@code port} speaking as the pass says: TCP, UDP with EDNS0 (1232), or plain UDP. */
    private static LoopbackResolver resolver(int port, String pass) {
        LoopbackResolver resolver = new LoopbackResolver(port, Duration.ofSeconds(5), pass.startsWith("tcp"));
        return pass.startsWith("udp+edns") ? resolver.withEdns(1232) : resolver;
    }

    private <T extends AutoCloseable> T start(T server) {
        started.add(server);
        return server;
    }

    /** What is compared: the rcode and the answer section as lower-cased "owner TYPE data" without TTLs. */
    private record Outcome(int rcode, Set<String> answers, Set<String> addresses) {
        static Outcome of(Message reply) {
            List<Record> records = reply.getSection(Section.ANSWER);
            Set<String> answers = records.stream()
                    .map(r -> r.getName().toString().toLowerCase(Locale.ROOT) + " " + Type.string(r.getType())
                            + " " + r.rdataToString())
                    .collect(Collectors.toSet());
            Set<String> addresses = records.stream()
                    .flatMap(r -> switch (r) {
                        case ARecord a -> Stream.of(a.getAddress().getHostAddress());
                        case AAAARecord aaaa -> Stream.of(aaaa.getAddress().getHostAddress());
                        default -> Stream.empty();
                    })
                    .collect(Collectors.toSet());
            return new Outcome(reply.getRcode(), answers, addresses);
        }

        /** Returns {@code address} as {@link InetAddress#getHostAddress()} writes it (IPv6 uncompressed). */
        static String canonical(String address) {
            try {
                return InetAddress.getByName(address).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP literal: " + address, e);
            }
        }

        @Override
        public String toString() {
            return Rcode.string(rcode) + " " + answers.stream().sorted().toList();
        }
    }
}
