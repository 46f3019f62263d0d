package io.splitroute.upstream;

import static io.splitroute.upstream.Queries.addresses;
import static io.splitroute.upstream.Queries.await;
import static io.splitroute.upstream.Queries.failure;
import static io.splitroute.upstream.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.EventLoop;
import io.netty.pkitesting.X509Bundle;
import io.splitroute.upstream.lab.DnsTestServer;
import io.splitroute.upstream.lab.TestPki;
import io.splitroute.upstream.lab.UpstreamLab;
import io.splitroute.upstream.lab.Zone;
import io.splitroute.upstream.tls.ServerTrust;
import io.splitroute.upstream.tls.TlsOptions;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * DNS over TLS and over HTTPS against real servers (a small Netty DoT/DoH server with a certificate from a
 * CA the test makes) in network namespaces the test creates: answers, pipelining, servers that close,
 * go silent or send GOAWAY, and certificates that must be refused.
 */
class EncryptedUpstreamIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static UpstreamLab lab;
    private static TestPki pki;
    private static DnsTestServer server;
    private static X509Bundle serverCertificate;
    private static TlsOptions tls;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(UpstreamLab.available(), "needs root, iproute2, nftables and native epoll");
        lab = UpstreamLab.create();
        pki = TestPki.create();
        tls = new TlsOptions(pki.writeCaFile(dir), List.of(), null);
        serverCertificate = pki.server("dns.test");
        server = new DnsTestServer(lab.serverTransport(), UpstreamLab.SERVER, zone(), serverCertificate, false, false);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private static Zone zone() {
        return new Zone().a("a.test", "192.0.2.1").a("dns.test", UpstreamLab.SERVER.getHostAddress());
    }

    private static UpstreamOptions options() {
        return UpstreamOptions.defaults(lab.client()).withAttemptTimeout(TIMEOUT);
    }

    private static UpstreamGroup group(GroupSpec spec) {
        return new UpstreamFactory().group(spec, options());
    }

    private static ServerUpstream server(String uri, TlsOptions options) {
        return (ServerUpstream) group(GroupSpec.of("g", List.of(uri)).withTls(options)).servers().getFirst();
    }

    private static String ip(InetAddress address) {
        return address.getHostAddress();
    }

    /** {@code count} queries for distinct names, all sent in one task of one event loop (so on one connection). */
    private static List<CompletableFuture<Message>> burst(Upstream upstream, int count, String prefix) throws Exception {
        EventLoop loop = lab.client().group().next();
        return loop.submit(() -> IntStream.range(0, count)
                .mapToObj(i -> upstream.query(query(prefix + i + "." + Zone.WILD, Type.A))).toList()).get();
    }

    private static void assertAllAnswered(List<CompletableFuture<Message>> futures, String prefix) throws Exception {
        for (int i = 0; i < futures.size(); i++) {
            assertThat(addresses(await(futures.get(i)))).as("query %d", i)
                    .containsExactly(Zone.wildcardAddress(prefix + i + "." + Zone.WILD));
        }
    }

    @Test
    void dot_answers() throws Exception {
        ServerUpstream dot = server("tls://dns.test@" + ip(UpstreamLab.SERVER), tls);

        Message reply = await(dot.query(query("a.test.", Type.A)));

        assertThat(addresses(reply)).containsExactly("192.0.2.1");
        assertThat(dot.name()).isEqualTo("tls://dns.test:853@198.51.100.53");
        assertThat(dot.stats().queries()).isEqualTo(1);
        assertThat(dot.stats().openConnections()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(HttpsUpstream.Method.class)
    void doh_answersOverHttp2(HttpsUpstream.Method method) throws Exception {
        int before = server.knobs().requests.size();
        UpstreamGroup group = group(GroupSpec.of("doh", List.of("https://dns.test/dns-query@" + ip(UpstreamLab.SERVER)))
                .withTls(tls).withMethod(method));

        Message reply = await(group.query(query("a.test.", Type.A)));

        assertThat(addresses(reply)).containsExactly("192.0.2.1");
        assertThat(server.knobs().requests.subList(before, server.knobs().requests.size()))
                .singleElement().asString().startsWith("HTTP/2 " + method + " /dns-query");
    }

    @Test
    void doh_serverWithoutHttp2_fallsBackToHttp1() throws Exception {
        try (DnsTestServer http1 = new DnsTestServer(lab.serverTransport(), UpstreamLab.SERVER_2, zone(),
                pki.server("dns.test"), true, false)) {
            ServerUpstream doh = server("https://dns.test/dns-query@" + ip(UpstreamLab.SERVER_2), tls);

            List<CompletableFuture<Message>> futures = burst(doh, 20, "h1-");

            assertAllAnswered(futures, "h1-");
            assertThat(http1.knobs().requests).hasSize(20).allMatch(r -> r.startsWith("HTTP/1.1 POST /dns-query"));
            assertThat(http1.knobs().connections.get()).isEqualTo(1); // pipelined on one connection
        }
    }

    @ParameterizedTest
    @EnumSource(value = ServerSpec.Protocol.class, names = {"TLS", "HTTPS"})
    void hundredConcurrentQueries_oneConnection_allMatched(ServerSpec.Protocol protocol) throws Exception {
        try (DnsTestServer fresh = new DnsTestServer(lab.serverTransport(), UpstreamLab.SERVER_2, zone(),
                pki.server("dns.test"), false, false)) {
            fresh.knobs().reverse = true; // DoT replies come back out of order
            ServerUpstream upstream = server(uri(protocol, UpstreamLab.SERVER_2), tls);

            List<CompletableFuture<Message>> futures = burst(upstream, 100, "p-");

            assertAllAnswered(futures, "p-");
            assertThat(fresh.knobs().connections.get()).isEqualTo(1);
            assertThat(upstream.stats().droppedReplies()).isZero();
        }
    }

    @Test
    void dot_serverClosesConnectionMidStream_queriesRetriedNoneLost() throws Exception {
        try (DnsTestServer closing = new DnsTestServer(lab.serverTransport(), UpstreamLab.SERVER_2, zone(),
                pki.server("dns.test"), false, false)) {
            closing.knobs().closeFirstConnectionAt = 50;
            ServerUpstream dot = server(uri(ServerSpec.Protocol.TLS, UpstreamLab.SERVER_2), tls);

            List<CompletableFuture<Message>> futures = burst(dot, 100, "c-");

            assertAllAnswered(futures, "c-");
            assertThat(closing.knobs().connections.get()).isEqualTo(2);
            assertThat(dot.stats().failures()).isZero();
        }
    }

    @Test
    void doh_goAway_laterQueriesOnANewConnection_noneLost() throws Exception {
        try (DnsTestServer goingAway = new DnsTestServer(lab.serverTransport(), UpstreamLab.SERVER_2, zone(),
                pki.server("dns.test"), false, false)) {
            goingAway.knobs().goAwayAfter = 10;
            ServerUpstream doh = server(uri(ServerSpec.Protocol.HTTPS, UpstreamLab.SERVER_2), tls);

            for (int round = 0; round < 5; round++) {
                assertAllAnswered(burst(doh, 8, "g" + round + "-"), "g" + round + "-");
            }

            assertThat(goingAway.knobs().goAways.get()).isGreaterThanOrEqualTo(2);
            assertThat(goingAway.knobs().connections.get()).isGreaterThanOrEqualTo(3);
            assertThat(doh.stats().failures()).isZero();
        }
    }

    @Test
    void silentServer_groupFailsOverWithinTheTimeout() throws Exception {
        try (DnsTestServer silent = new DnsTestServer(lab.serverTransport(), UpstreamLab.SERVER_2, zone(),
                pki.server("dns.test"), false, false)) {
            silent.knobs().silent = true;
            UpstreamGroup group = group(GroupSpec.of("clean", List.of(uri(ServerSpec.Protocol.TLS, UpstreamLab.SERVER_2),
                    uri(ServerSpec.Protocol.HTTPS, UpstreamLab.SERVER))).withTls(tls));
            long start = System.nanoTime();

            Message reply = await(group.query(query("a.test.", Type.A)));

            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(addresses(reply)).containsExactly("192.0.2.1");
            assertThat(millis).isLessThan(TIMEOUT.toMillis() + 1500);
            assertThat(((ServerUpstream) group.servers().getFirst()).stats().timeouts()).isEqualTo(1);
        }
    }

    enum BadCertificate { UNKNOWN_CA, WRONG_NAME, WRONG_PIN }

    @ParameterizedTest
    @EnumSource(BadCertificate.class)
    void badCertificate_refusedCountedLoggedOnce_groupUsesNextServer(BadCertificate bad) throws Exception {
        X509Bundle certificate = switch (bad) {
            case UNKNOWN_CA -> pki.untrustedServer("dns.test");
            case WRONG_NAME -> pki.server("other.test");
            case WRONG_PIN -> pki.server("dns.test");
        };
        TlsOptions options = bad == BadCertificate.WRONG_PIN
                ? new TlsOptions(tls.caFile(), List.of(ServerTrust.spkiSha256(serverCertificate.getCertificate())), null)
                : tls;
        Zone untouched = zone();
        ListAppender<ILoggingEvent> log = capture();
        try (DnsTestServer impostor = new DnsTestServer(lab.serverTransport(), UpstreamLab.SERVER_3, untouched,
                certificate, false, false)) {
            String uri = "tls://dns.test@" + ip(UpstreamLab.SERVER_3);
            UpstreamGroup group = group(GroupSpec.of("clean", List.of(uri, "https://dns.test/dns-query@"
                    + ip(UpstreamLab.SERVER))).withTls(options));
            ServerUpstream dot = (ServerUpstream) group.servers().getFirst();

            UpstreamException alone = failure(dot.query(query("a.test.", Type.A)));
            Message viaNext = await(group.query(query("a.test.", Type.A)));
            failure(dot.query(query("a.test.", Type.A)));

            assertThat(alone.reason()).isEqualTo(UpstreamException.Reason.TLS);
            assertThat(alone.getMessage()).contains(dot.name()).contains("presented").contains("CN=")
                    .contains(switch (bad) {
                        case UNKNOWN_CA -> "not trusted";
                        case WRONG_NAME -> "not for dns.test";
                        case WRONG_PIN -> "no certificate matches pin-sha256";
                    });
            assertThat(addresses(viaNext)).containsExactly("192.0.2.1");
            assertThat(dot.stats().failures(UpstreamException.Reason.TLS)).isEqualTo(3);
            assertThat(untouched.answered()).isZero(); // nothing reached the impostor in the clear, or at all
            assertThat(log.list.stream().filter(e -> e.getFormattedMessage().contains(dot.name()))).hasSize(1);
        } finally {
            release(log);
        }
    }

    @Test
    void tls12_reconnection_resumesTheSession() throws Exception {
        try (DnsTestServer tls12 = new DnsTestServer(lab.serverTransport(), UpstreamLab.SERVER_2, zone(),
                pki.server("dns.test"), false, true)) {
            tls12.knobs().closeFirstConnectionAt = 2;
            ServerUpstream dot = server(uri(ServerSpec.Protocol.TLS, UpstreamLab.SERVER_2), tls);
            EventLoop loop = lab.client().group().next();

            await(loop.submit(() -> dot.query(query("a.test.", Type.A))).get());
            await(loop.submit(() -> dot.query(query("a.test.", Type.A))).get()); // closed under it, sent again

            assertThat(tls12.knobs().connections.get()).isEqualTo(2);
            assertThat(tls12.knobs().sessionIds).hasSize(2);
            assertThat(tls12.knobs().sessionIds.get(1)).isEqualTo(tls12.knobs().sessionIds.get(0));
        }
    }

    @Test
    void hostWithoutIp_lookedUpThroughBootstrapServers() throws Exception {
        UpstreamGroup group = group(GroupSpec.of("clean", List.of("tls://dns.test", "https://dns.test/dns-query"))
                .withTls(tls).withBootstrap(List.of("udp://" + ip(UpstreamLab.SERVER) + ":53")));

        for (Upstream each : group.servers()) {
            assertThat(addresses(await(each.query(query("a.test.", Type.A))))).containsExactly("192.0.2.1");
        }
    }

    @Test
    void hostWithoutIpOrBootstrap_refusedWhenBuilt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> group(GroupSpec.of("clean", List.of("tls://dns.test"))))
                .hasMessageContaining("upstream group 'clean'").hasMessageContaining("tls://dns.test@IP");
    }

    @Test
    void doh_httpErrorStatus_failsAsHttp() throws Exception {
        try (DnsTestServer broken = new DnsTestServer(lab.serverTransport(), UpstreamLab.SERVER_2, zone(),
                pki.server("dns.test"), false, false)) {
            broken.knobs().httpStatus = 503;
            ServerUpstream doh = server(uri(ServerSpec.Protocol.HTTPS, UpstreamLab.SERVER_2), tls);

            UpstreamException e = failure(doh.query(query("a.test.", Type.A)));

            assertThat(e.reason()).isEqualTo(UpstreamException.Reason.HTTP);
            assertThat(e.getMessage()).contains("HTTP status 503");
        }
    }

    private static String uri(ServerSpec.Protocol protocol, InetAddress address) {
        return protocol == ServerSpec.Protocol.TLS ? "tls://dns.test@" + ip(address)
                : "https://dns.test/dns-query@" + ip(address);
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(TlsUpstream.class)).addAppender(appender);
        return appender;
    }

    private static void release(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(TlsUpstream.class)).detachAppender(appender);
    }
}
