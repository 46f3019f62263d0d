package io.splitroute.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.config.ConfigLoader;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.update.ListSource;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteListsTest {
    @TempDir
    Path dir;

    private SplitrouteConfig config(String yaml) throws Exception {
        return ConfigLoader.parse("upstreams: { isp: [system] }\n" + yaml, "test.yaml", dir);
    }

    @Test
    void load_readsIpListsFromFilesAndTheJar_andReportsAMissingOne() throws Exception {
        Files.writeString(dir.resolve("home.txt"), "# test\n198.51.100.0/24\n2001:db8::/32\n");
        RouteLists lists = RouteLists.load(config("""
                ip-lists:
                  home: { file: home.txt }
                  chnroute: { file: "bundled:chnroute" }
                  gone: { file: gone.txt, url: "https://example.net/gone.txt" }
                """)).lists();

        assertThat(lists.ipLists()).containsOnlyKeys("home", "chnroute");
        assertThat(lists.ipLists().get("home").table().contains(InetAddress.ofLiteral("2001:db8::1"))).isTrue();
        assertThat(lists.ipLists().get("chnroute").prefixCount()).isEqualTo(3912);
        assertThat(lists.failures()).singleElement().asString()
                .isEqualTo("gone: " + dir.resolve("gone.txt") + " does not exist (run: splitroute lists update)");
    }

    @Test
    void load_bundledChnrouteUnderLists_isAClearFailure() throws Exception {
        RouteLists lists = RouteLists.load(config("lists: { cn: { file: \"bundled:chnroute\" } }\n"
                + "routes: [{ name: r, lists: [cn], upstream: isp }]\n")).lists();

        assertThat(lists.failures()).singleElement().asString().contains("is not a bundled domain list");
    }

    @Test
    void sources_domainListsThenIpLists_withMaxBytesAndFormat() throws Exception {
        List<ListSource> sources = RouteLists.sources(config("""
                ip-lists:
                  chnroute: { file: chn.txt, url: "https://example.net/chn.txt", refresh: 6h, max-bytes: 1MiB }
                  local: { file: local.txt }
                lists:
                  gfwlist: { file: gfw.txt, url: "https://example.net/gfw.txt", format: gfwlist }
                """));

        assertThat(sources).extracting(ListSource::name).containsExactly("gfwlist", "chnroute");
        assertThat(sources.get(0).maxBytes()).isEqualTo(ListSource.DEFAULT_MAX_BYTES);
        assertThat(sources.get(1).format()).isEqualTo(ListFormatKind.CIDR);
        assertThat(sources.get(1).ipList()).isTrue();
        assertThat(sources.get(1).maxBytes()).isEqualTo(1L << 20);
        assertThat(sources.get(1).file()).isEqualTo(dir.resolve("chn.txt"));
    }
}
