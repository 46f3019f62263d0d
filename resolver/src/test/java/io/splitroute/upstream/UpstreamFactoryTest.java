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
    void options_nonPositiveTimeout_rejected() {
        assertThatThrownBy(() -> UpstreamOptions.defaults(transport).withAttemptTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
