package io.splitroute.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitroute.net.NetTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamFactoryTest {

    private static NetTransport transport;

    @TempDir
    Path dir;

    private final UpstreamFactory factory = new UpstreamFactory();

    @BeforeAll
    static void startTransport() {
        transport = NetTransport.create(1);
    }

    @AfterAll
    static void stopTransport() {
        transport.close();
    }

    private UpstreamOptions options(String resolvConf) throws IOException {
        Path file = Files.writeString(dir.resolve("resolv.conf"), resolvConf);
        return UpstreamOptions.defaults(transport).withResolvConf(file);
    }

    private static List<String> names(UpstreamGroup group) {
        return group.servers().stream().map(Upstream::name).toList();
    }

    @Test
    void group_serversInConfiguredOrderWithSystemExpandedInPlace() throws IOException {
        UpstreamOptions options = options("nameserver 192.0.2.53\nnameserver 2001:db8::53\n");

        UpstreamGroup group = factory.group("isp", List.of("tcp://192.0.2.1", "system", "udp://[::1]:5353"), options);

        assertThat(group.name()).isEqualTo("isp");
        assertThat(names(group)).containsExactly("tcp://192.0.2.1:53", "udp://192.0.2.53:53",
                "udp://[2001:db8::53]:53", "udp://[::1]:5353");
        assertThat(group.servers().getFirst()).isInstanceOf(TcpUpstream.class);
        assertThat(group.servers().get(1)).isInstanceOf(UdpUpstream.class);
    }

    @Test
    void group_duplicateServerKeptOnceAtFirstPlace() throws IOException {
        UpstreamOptions options = options("nameserver 192.0.2.53\n");

        UpstreamGroup group = factory.group("isp", List.of("udp://192.0.2.53:53", "system"), options);

        assertThat(names(group)).containsExactly("udp://192.0.2.53:53");
    }

    @Test
    void group_badUriNamesGroupAndValue() throws IOException {
        UpstreamOptions options = options("");

        assertThatThrownBy(() -> factory.group("clean", List.of("udp://8.8.8.8", "udp://dns.google"), options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 'clean'").hasMessageContaining("'udp://dns.google'");
    }

    @Test
    void group_systemWithoutNameserver_rejectedNamingTheFile() throws IOException {
        UpstreamOptions options = options("search lan\n");

        assertThatThrownBy(() -> factory.group("isp", List.of("system"), options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 'isp'").hasMessageContaining("resolv.conf");
    }

    @Test
    void group_systemWithUnreadableResolvConf_uncheckedIoNamingTheFile() {
        UpstreamOptions options = UpstreamOptions.defaults(transport).withResolvConf(dir.resolve("missing.conf"));

        assertThatThrownBy(() -> factory.group("isp", List.of("system"), options))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.conf");
    }

    @Test
    void group_encryptedServers_builtInOrderWithTheirNames() throws IOException {
        UpstreamGroup group = factory.group(GroupSpec.of("clean", List.of("tls://dns.google@8.8.8.8",
                "https://dns.google/dns-query@8.8.4.4", "udp://8.8.8.8")), options(""));

        assertThat(names(group)).containsExactly("tls://dns.google:853@8.8.8.8",
                "https://dns.google:443/dns-query@8.8.4.4", "udp://8.8.8.8:53");
        assertThat(group.servers()).map(Object::getClass).containsExactly(TlsUpstream.class, HttpsUpstream.class,
                UdpUpstream.class);
        assertThat(group.stats()).containsOnlyKeys(names(group));
        assertThat(group.boundAndFailing()).isFalse();
    }

    @Test
    void group_encryptedServerWithoutAddressOrBootstrap_rejectedSayingHowToFixIt() throws IOException {
        UpstreamOptions options = options("");

        assertThatThrownBy(() -> factory.group(GroupSpec.of("clean", List.of("https://dns.google/dns-query")), options))
                .hasMessageContaining("upstream group 'clean'").hasMessageContaining("https://dns.google@IP")
                .hasMessageContaining("bootstrap");
    }

    @Test
    void group_unreadableCaFile_rejectedNamingTheFile() throws IOException {
        UpstreamOptions options = options("");
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");

        assertThatThrownBy(() -> factory.group(GroupSpec.of("clean", List.of("tls://dns.google@8.8.8.8"))
                .withTls(new io.splitroute.upstream.tls.TlsOptions(notPem, List.of(), null)), options))
                .hasMessageContaining("upstream group 'clean'").hasMessageContaining("cannot set up TLS")
                .hasMessageContaining("ca.pem");
    }

    @Test
    void options_nonPositiveTimeout_rejected() {
        assertThatThrownBy(() -> UpstreamOptions.defaults(transport).withAttemptTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
