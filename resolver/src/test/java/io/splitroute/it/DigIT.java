package io.splitroute.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.testing.FakeUpstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Type;

/**
 * The real {@code dig} against the packaged jar over UDP and TCP: what a user typing
 * {@code dig @127.0.0.1 -p 5300 name} sees.
 *
 * <p>One splitroute serves every test (started once) with three upstream groups: {@code main}, an
 * in-process {@link FakeUpstream} that knows {@code *.dig.test}; {@code org}, a second fake that alone knows
 * {@code example.org} and gets it by a route; {@code dead}, a loopback port nobody listens on, routed
 * {@code dead.test}. The ACL admits 127.0.0.1 and ::1 only, so a query from 127.0.0.2 must be refused.
 * Each test asks its own names, so no test sees another's cache entries.
 */
class DigIT {

    private static Path dig;
    private static FakeUpstream main;
    private static FakeUpstream org;
    private static SplitrouteServer splitroute;
    private static Dig digV4;

    @BeforeAll
    static void startServers() throws IOException {
        Optional<Path> installed = Executables.find("dig");
        assumeTrue(installed.isPresent(), "dig not installed (apt-get install bind9-dnsutils)");
        dig = installed.get();
        main = FakeUpstream.start()
                .answer("ready.dig.test", Type.A, 300, "192.0.2.9")
                .answer("www.dig.test", Type.A, 300, "192.0.2.1", "192.0.2.2")
                .answer("v6.dig.test", Type.AAAA, 300, "2001:db8::1")
                .answer("ttl.dig.test", Type.A, 300, "192.0.2.3")
                .answer("pipe1.dig.test", Type.A, 300, "192.0.2.4")
                .answer("pipe2.dig.test", Type.A, 300, "192.0.2.5")
                .answer("v6only.dig.test", Type.AAAA, 300, "2001:db8::6")
                .nxdomain("nope.dig.test", 60)
                .servfail("broken.dig.test")
                .largeAnswer("big.dig.test", 40, 300)
                .largeAnswer("big2.dig.test", 40, 300);
        org = FakeUpstream.start().answer("www.example.org", Type.A, 300, "198.51.100.7");
        String config = """
                upstreams:
                  main: ["%s"]
                  org: ["%s"]
                  dead: ["udp://127.0.0.1:%d"]
                routes:
                  - { name: org, domains: [example.org], upstream: org }
                  - { name: dead, domains: [dead.test], upstream: dead }
                default-upstream: main
                cache: { size: 1000, min-ttl: 0, max-ttl: 86400 }
                acl: ["127.0.0.1/32", "::1/128"]
                """.formatted(main.udpUri(), org.udpUri(), LoopbackPorts.freePort());
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "it")), "DigIT-");
        splitroute = SplitrouteServer.start(dir, config, "ready.dig.test", ipv6LoopbackUsable());
        digV4 = new Dig(dig, "127.0.0.1", splitroute.port());
    }

    @AfterAll
    static void stopServers() {
        if (splitroute != null) {
            splitroute.close();
        }
        if (org != null) {
            org.close();
        }
        if (main != null) {
            main.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"+notcp", "+tcp"})
    void addressQuery_answersTheUpstreamsAddresses(String transport) {
        Dig.Reply reply = digV4.query(transport, "www.dig.test", "A");

        assertThat(reply.status()).as(reply.output()).isEqualTo("NOERROR");
        assertThat(reply.data("A")).as(reply.output()).containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+notcp", "+tcp"})
    void aaaaQuery_answersTheUpstreamsAddress(String transport) {
        Dig.Reply reply = digV4.query(transport, "v6.dig.test", "AAAA");

        assertThat(reply.status()).as(reply.output()).isEqualTo("NOERROR");
        assertThat(reply.data("AAAA")).as(reply.output()).containsExactly("2001:db8::1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+notcp", "+tcp"})
    void unknownName_nxdomainAsTheUpstreamSaid(String transport) {
        Dig.Reply reply = digV4.query(transport, "nope.dig.test", "A");

        assertThat(reply.status()).as(reply.output()).isEqualTo("NXDOMAIN");
        assertThat(reply.answers()).as(reply.output()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+notcp", "+tcp"})
    void typeTheNameLacks_noErrorWithoutAnswers(String transport) {
        Dig.Reply reply = digV4.query(transport, "v6only.dig.test", "A");

        assertThat(reply.status()).as(reply.output()).isEqualTo("NOERROR");
        assertThat(reply.answers()).as(reply.output()).isEmpty();
    }

    @Test
    void cachedAnswer_ttlCountsDown() throws InterruptedException {
        Dig.Reply first = digV4.query("ttl.dig.test", "A");
        int upstreamQueries = main.queryCount("ttl.dig.test", Type.A);
        Thread.sleep(2_100);
        Dig.Reply second = digV4.query("ttl.dig.test", "A");

        assertThat(first.data("A")).as(first.output()).containsExactly("192.0.2.3");
        assertThat(second.data("A")).as(second.output()).containsExactly("192.0.2.3");
        long firstTtl = first.answers().getFirst().ttl();
        long secondTtl = second.answers().getFirst().ttl();
        assertThat(firstTtl).as(first.output()).isBetween(1L, 300L);
        assertThat(secondTtl).as("TTL after 2 s in the cache, first was " + firstTtl + "\n" + second.output())
                .isPositive()
                .isLessThan(firstTtl);
        assertThat(main.queryCount("ttl.dig.test", Type.A)).as("upstream queries after the second dig")
                .isEqualTo(upstreamQueries);
    }

    @Test
    void routedDomain_answeredByItsOwnUpstream() {
        Dig.Reply reply = digV4.query("www.example.org", "A");

        assertThat(reply.status()).as(reply.output()).isEqualTo("NOERROR");
        assertThat(reply.data("A")).as(reply.output()).containsExactly("198.51.100.7");
        assertThat(org.queryCount("www.example.org", Type.A)).isPositive();
        assertThat(main.queryCount("www.example.org", Type.A)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+notcp", "+tcp"})
    void upstreamServfail_servfailToTheClient(String transport) {
        Dig.Reply reply = digV4.query(transport, "broken.dig.test", "A");

        assertThat(reply.status()).as(reply.output()).isEqualTo("SERVFAIL");
    }

    @Test
    void deadUpstream_servfailRatherThanSilence() {
        Dig.Reply reply = digV4.query("+time=20", "www.dead.test", "A");

        assertThat(reply.status()).as(reply.output()).isEqualTo("SERVFAIL");
    }

    @Test
    void replyLargerThanClientsEdnsBuffer_truncatedOverUdp() {
        Dig.Reply reply = digV4.query("+bufsize=512", "+ignore", "big.dig.test", "A");

        assertThat(reply.flags()).as(reply.output()).contains("tc");
        assertThat(reply.answers()).as(reply.output()).hasSizeLessThan(40);
    }

    @Test
    void truncatedReply_digRetriesOverTcpAndGetsEverything() {
        Dig.Reply reply = digV4.query("+bufsize=512", "big2.dig.test", "A");

        assertThat(reply.flags()).as(reply.output()).doesNotContain("tc");
        assertThat(reply.data("A")).as(reply.output()).hasSize(40).contains("192.0.2.1", "192.0.2.40");
    }

    @Test
    void tcp_severalQueriesOnOneConnection() {
        List<Dig.Reply> replies = digV4.queryAll("+tcp", "+keepopen",
                "pipe1.dig.test", "A", "pipe2.dig.test", "A", "nope.dig.test", "A");

        assertThat(replies).extracting(Dig.Reply::status).containsExactly("NOERROR", "NOERROR", "NXDOMAIN");
        assertThat(replies.get(0).data("A")).containsExactly("192.0.2.4");
        assertThat(replies.get(1).data("A")).containsExactly("192.0.2.5");
    }

    @Test
    void clientOutsideAcl_refused() {
        Dig.Reply refused = digV4.query("-b", "127.0.0.2", "www.dig.test", "A");
        Dig.Reply admitted = digV4.query("-b", "127.0.0.1", "www.dig.test", "A");

        assertThat(refused.status()).as(refused.output()).isEqualTo("REFUSED");
        assertThat(refused.answers()).as(refused.output()).isEmpty();
        assertThat(admitted.status()).as(admitted.output()).isEqualTo("NOERROR");
    }

    @Test
    void ipv6Listener_answersOverUdpAndTcp() {
        assumeTrue(ipv6LoopbackUsable(), "::1 is not configured on this machine");
        Dig digV6 = new Dig(dig, "::1", splitroute.port());

        for (String transport : List.of("+notcp", "+tcp")) {
            Dig.Reply reply = digV6.query(transport, "www.dig.test", "A");
            assertThat(reply.status()).as(reply.output()).isEqualTo("NOERROR");
            assertThat(reply.data("A")).as(reply.output()).containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
        }
    }

    private static boolean ipv6LoopbackUsable() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
