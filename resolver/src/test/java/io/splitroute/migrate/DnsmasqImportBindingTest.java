package io.splitroute.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.config.ConfigLoader;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.routing.Explanation;
import io.splitroute.routing.RouteLists;
import io.splitroute.routing.Routing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server=IP@IFACE} becomes a bound server; whatever is not imported is listed in the output. */
class DnsmasqImportBindingTest {
    @TempDir
    Path dir;

    @Test
    void convert_serverBoundToAnInterface_keepsTheBinding() throws Exception {
        Path main = write("dnsmasq.conf", "no-resolv\nserver=192.168.1.254@eth1\n");
        Path gfw = write("gfw.conf", "server=/google.com/8.8.8.8#5353@wg0\nipset=/google.com/gfwlist\n");

        SplitrouteConfig config = load(DnsmasqImport.convert(List.of(main, gfw)));
        Routing routing = Routing.compile(config, RouteLists.load(config).rules());

        assertThat(config.upstreams().get("default").servers()).containsExactly("udp://192.168.1.254:53@eth1");
        Explanation google = Explanation.of("www.google.com", routing);
        assertThat(config.upstreams().get(google.upstream()).servers()).containsExactly("udp://8.8.8.8:5353@wg0");
    }

    @Test
    void convert_nothingIgnoredSilently() throws Exception {
        Path main = write("dnsmasq.conf", """
                bind-interfaces
                strict-order
                no-hosts
                server=192.0.2.53@192.168.1.1
                server=/example.org/192.0.2.54@wg0#4000
                dhcp-range=192.168.1.50,192.168.1.150
                server=/bad.example/not-an-address
                """);

        String yaml = DnsmasqImport.convert(List.of(main));
        SplitrouteConfig config = load(yaml);

        assertThat(config.upstreams().get("default").servers()).containsExactly("udp://192.0.2.53:53", "system");
        assertThat(yaml).contains(
                "#   " + main + ":1: bind-interfaces: not needed: splitroute binds each listen address itself\n",
                "#   " + main + ":2: strict-order: not needed: splitroute always tries a group's servers in order\n",
                "#   " + main + ":3: no-hosts: not needed: splitroute does not read /etc/hosts\n",
                "#   " + main + ":4: server=192.0.2.53@192.168.1.1: '@192.168.1.1': a source address is not supported;"
                        + " imported as udp://192.0.2.53:53\n",
                "#   " + main + ":5: server=/example.org/192.0.2.54@wg0#4000: source port 4000 is not supported; imported"
                        + " as udp://192.0.2.54:53@wg0\n",
                "#   " + main + ":6: dhcp-range=192.168.1.50,192.168.1.150: no splitroute equivalent\n",
                "#   " + main + ":7: ");
        assertThat(yaml.lines().filter(l -> l.startsWith("#   " + main + ":7: ")).findFirst().orElseThrow())
                .contains("not-an-address").endsWith("(line not read)");
    }

    private SplitrouteConfig load(String yaml) throws Exception {
        return ConfigLoader.load(write("splitroute.yaml", yaml));
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
