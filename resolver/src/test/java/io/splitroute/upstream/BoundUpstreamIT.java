package io.splitroute.upstream;

import static io.splitroute.upstream.Queries.addresses;
import static io.splitroute.upstream.Queries.await;
import static io.splitroute.upstream.Queries.failure;
import static io.splitroute.upstream.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.upstream.lab.DnsTestServer;
import io.splitroute.upstream.lab.TestPki;
import io.splitroute.upstream.lab.UpstreamLab;
import io.splitroute.upstream.lab.Zone;
import io.splitroute.upstream.tls.TlsOptions;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Upstreams bound to the tunnel, in network namespaces the test creates ({@link UpstreamLab}): a server
 * bound to an interface is reached through it even though the routing table says otherwise; with the
 * interface down or gone the query fails at once and no packet leaves by the other interface; a group's
 * mark is what an ip rule routes by. For every protocol: udp, tcp, tls, https.
 */
class BoundUpstreamIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** "At once": well under the timeout, with room for a loaded machine. */
    private static final long FAST_MILLIS = 500;
    private static UpstreamLab lab;
    private static DnsTestServer server;
    private static DnsTestServer markedServer;
    private static TlsOptions tls;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(UpstreamLab.available(), "needs root, iproute2, nftables and native epoll");
        lab = UpstreamLab.create();
        TestPki pki = TestPki.create();
        tls = new TlsOptions(pki.writeCaFile(dir), List.of(), null);
        Zone zone = new Zone().a("a.test", "192.0.2.1");
        server = new DnsTestServer(lab.serverTransport(), UpstreamLab.SERVER, zone, pki.server("dns.test"), false, false);
        markedServer = new DnsTestServer(lab.serverTransport(), UpstreamLab.MARKED_SERVER, zone,
                pki.server("dns.test"), false, false);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            markedServer.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void tunnelBackUp() {
        if (lab != null) {
            lab.inClient("ip", "link", "set", UpstreamLab.TUNNEL, "up");
            lab.routeTunnel();
        }
    }

    private static String uri(ServerSpec.Protocol protocol, InetAddress address) {
        String ip = address.getHostAddress();
        return switch (protocol) {
            case UDP -> "udp://" + ip + ":53";
            case TCP -> "tcp://" + ip + ":53";
            case TLS -> "tls://dns.test@" + ip;
            case HTTPS -> "https://dns.test/dns-query@" + ip;
        };
    }

    private static UpstreamGroup group(ServerSpec.Protocol protocol, InetAddress address, String iface, Long mark) {
        return new UpstreamFactory().group(GroupSpec.of("clean", List.of(uri(protocol, address)))
                .withBinding(iface, mark).withTls(tls), UpstreamOptions.defaults(lab.client()).withAttemptTimeout(TIMEOUT));
    }

    @ParameterizedTest
    @EnumSource(ServerSpec.Protocol.class)
    void boundToTunnel_answersThroughTheTunnelNotTheDefaultRoute(ServerSpec.Protocol protocol) throws Exception {
        long tunnelBefore = lab.packetsOut(UpstreamLab.TUNNEL);
        long ispBefore = lab.packetsOut(UpstreamLab.ISP);

        Message reply = await(group(protocol, UpstreamLab.SERVER, UpstreamLab.TUNNEL, null).query(query("a.test.", Type.A)));

        assertThat(addresses(reply)).containsExactly("192.0.2.1");
        assertThat(lab.packetsOut(UpstreamLab.TUNNEL)).isGreaterThan(tunnelBefore);
        assertThat(lab.packetsOut(UpstreamLab.ISP)).isEqualTo(ispBefore);
    }

    @Test
    void unbound_takesTheDefaultRoute() throws Exception {
        long ispBefore = lab.packetsOut(UpstreamLab.ISP);

        Message reply = await(group(ServerSpec.Protocol.UDP, UpstreamLab.SERVER, null, null).query(query("a.test.", Type.A)));

        assertThat(addresses(reply)).containsExactly("192.0.2.1");
        assertThat(lab.packetsOut(UpstreamLab.ISP)).isGreaterThan(ispBefore); // the counters do see a leak
    }

    @Test
    void udpServerOwnInterface_dnsmasqStyle() throws Exception {
        long tunnelBefore = lab.packetsOut(UpstreamLab.TUNNEL);
        UpstreamGroup group = new UpstreamFactory().group("clean", List.of("udp://198.51.100.53:53@tun0"),
                UpstreamOptions.defaults(lab.client()).withAttemptTimeout(TIMEOUT));

        Message reply = await(group.query(query("a.test.", Type.A)));

        assertThat(addresses(reply)).containsExactly("192.0.2.1");
        assertThat(group.servers().getFirst().name()).isEqualTo("udp://198.51.100.53:53@tun0");
        assertThat(lab.packetsOut(UpstreamLab.TUNNEL)).isGreaterThan(tunnelBefore);
    }

    @ParameterizedTest
    @EnumSource(ServerSpec.Protocol.class)
    void tunnelDown_failsAtOnce_nothingLeavesByTheIsp_thenRecovers(ServerSpec.Protocol protocol) throws Exception {
        UpstreamGroup group = group(protocol, UpstreamLab.SERVER, UpstreamLab.TUNNEL, null);
        await(group.query(query("a.test.", Type.A))); // a pooled connection is open for tcp, tls, https
        long ispBefore = lab.packetsOut(UpstreamLab.ISP);
        lab.inClient("ip", "link", "set", UpstreamLab.TUNNEL, "down");
        long start = System.nanoTime();

        UpstreamException e = failure(group.query(query("a.test.", Type.A)));

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).isLessThan(FAST_MILLIS);
        UpstreamException cause = (UpstreamException) e.getSuppressed()[0];
        assertThat(cause.reason()).isEqualTo(UpstreamException.Reason.INTERFACE_DOWN);
        assertThat(cause.getMessage()).contains("interface tun0 is down");
        assertThat(lab.packetsOut(UpstreamLab.ISP)).isEqualTo(ispBefore);
        assertThat(group.boundAndFailing()).isTrue();

        lab.inClient("ip", "link", "set", UpstreamLab.TUNNEL, "up");
        lab.routeTunnel();
        assertThat(addresses(await(group.query(query("a.test.", Type.A))))).containsExactly("192.0.2.1");
        assertThat(group.boundAndFailing()).isFalse();
    }

    @Test
    void interfaceGone_failsAtOnce() throws Exception {
        UpstreamGroup group = group(ServerSpec.Protocol.TLS, UpstreamLab.SERVER, "gone0", null);
        long start = System.nanoTime();

        UpstreamException e = failure(group.query(query("a.test.", Type.A)));

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(FAST_MILLIS);
        assertThat(e.getSuppressed()[0].getMessage()).contains("interface gone0 does not exist");
    }

    @ParameterizedTest
    @EnumSource(ServerSpec.Protocol.class)
    void mark_routedByTheIpRule(ServerSpec.Protocol protocol) throws Exception {
        long tunnelBefore = lab.packetsOut(UpstreamLab.TUNNEL);

        Message reply = await(group(protocol, UpstreamLab.MARKED_SERVER, null, UpstreamLab.MARK).query(query("a.test.", Type.A)));

        assertThat(addresses(reply)).containsExactly("192.0.2.1");
        assertThat(lab.packetsOut(UpstreamLab.TUNNEL)).isGreaterThan(tunnelBefore);
    }

    @ParameterizedTest
    @EnumSource(ServerSpec.Protocol.class)
    void withoutMark_unreachable_failsAtOnce(ServerSpec.Protocol protocol) throws Exception {
        long start = System.nanoTime();

        UpstreamException e = failure(group(protocol, UpstreamLab.MARKED_SERVER, null, null).query(query("a.test.", Type.A)));

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(FAST_MILLIS);
        assertThat(((UpstreamException) e.getSuppressed()[0]).reason()).isEqualTo(UpstreamException.Reason.UNREACHABLE);
    }
}
