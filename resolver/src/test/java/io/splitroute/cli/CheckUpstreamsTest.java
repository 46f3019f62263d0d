package io.splitroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code splitroute check} shows each server of the name's group with its binding and TLS name. */
class CheckUpstreamsTest {
    @TempDir
    Path dir;

    @Test
    void check_showsEachServerWithItsBindingAndTlsName() throws Exception {
        Path config = Files.writeString(dir.resolve("splitroute.yaml"), """
                upstreams:
                  isp: ["udp://192.0.2.1:53"]
                  clean:
                    servers: ["tls://dns.google@8.8.8.8", "udp://8.8.8.8:53@wg1"]
                    interface: wg0
                    mark: 0xca6c
                routes: [{ name: tunnel, domains: [google.com], upstream: clean }]
                default-upstream: isp
                """);

        CliRun text = CliRun.of("check", "--config", config.toString(), "www.google.com");
        CliRun json = CliRun.of("check", "--json", "--config", config.toString(), "www.google.com");

        assertThat(text.status()).isZero();
        assertThat(text.out()).contains("  servers:  tls://dns.google:853@8.8.8.8 [interface wg0, mark 0xca6c, "
                + "TLS name dns.google], udp://8.8.8.8:53@wg1 [mark 0xca6c]\n");
        assertThat(json.out()).contains("\"serverList\":[\"tls://dns.google:853@8.8.8.8 [interface wg0, mark 0xca6c, "
                + "TLS name dns.google]\",\"udp://8.8.8.8:53@wg1 [mark 0xca6c]\"]");
    }
}
