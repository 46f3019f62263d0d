package io.splitroute.lists;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.rule.RuleTable;
import org.junit.jupiter.api.Test;

class BundledListsTest {

    @Test
    void gfwlist_loadsFromTheJar() {
        ParsedList list = BundledLists.gfwlist();
        assertThat(list.name()).isEqualTo("gfwlist");
        assertThat(list.source()).isEqualTo(BundledLists.GFWLIST_SOURCE);
        assertThat(list.rules()).hasSizeGreaterThan(4000);
        assertThat(list.problems()).isEmpty();
        assertThat(BundledLists.gfwlist().rules()).isEqualTo(list.rules());
    }

    @Test
    void gfwlist_routesGoogleButNotItsExceptions() {
        RuleTable t = RuleTable.builder().route("tunnel").addAll("tunnel", BundledLists.gfwlist().rules()).build();
        assertThat(t.lookup("www.google.com").route()).isEqualTo("tunnel");
        assertThat(t.lookup("www.google.com").rule().origin().text()).isEqualTo("||google.com");
        assertThat(t.lookup("dl.google.com").excluded()).isTrue();
        assertThat(t.lookup("example.org").matched()).isFalse();
    }

    @Test
    void gfwlistBytes_isThePublishedBase64() {
        byte[] bytes = BundledLists.gfwlistBytes();
        assertThat(bytes).hasSize(98_943);
        assertThat(new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).matches("[A-Za-z0-9+/]{8}");
    }

    @Test
    void chnroute_loadsFromTheJarWithEveryNetwork() throws Exception {
        var list = BundledLists.chnroute("chnroute");

        assertThat(list.prefixCount()).isEqualTo(3912);
        assertThat(list.problems()).isEmpty();
        assertThat(list.source()).isEqualTo(BundledLists.CHNROUTE_SOURCE);
        assertThat(list.table().contains(java.net.InetAddress.getByName("1.1.8.1"))).isTrue();
        assertThat(list.table().contains(java.net.InetAddress.getByName("192.0.2.1"))).isFalse();
        assertThat(BundledLists.bytes(java.nio.file.Path.of("bundled:chnroute"))).isEqualTo(BundledLists.chnrouteBytes()).hasSize(60_995);
    }

    @Test
    void bytes_unknownBundledNameSaysWhichExist() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BundledLists.bytes(java.nio.file.Path.of("bundled:nope")))
                .hasMessage("bundled:nope is not a bundled list: there are bundled:gfwlist and bundled:chnroute");
        assertThat(BundledLists.isBundled(java.nio.file.Path.of("bundled:gfwlist"))).isTrue();
        assertThat(BundledLists.isBundled(java.nio.file.Path.of("/var/lib/x"))).isFalse();
    }

    @Test
    void readIpListAndReadList_resolveBundledNamesOrReadTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path ips = java.nio.file.Files.writeString(dir.resolve("ips.txt"), "192.0.2.0/24\n");

        assertThat(BundledLists.readIpList("chn", java.nio.file.Path.of("bundled:chnroute")).prefixCount()).isEqualTo(3912);
        assertThat(BundledLists.readIpList("mine", ips).table().contains(0xC0000201)).isTrue();
        assertThat(BundledLists.readList("gfw", java.nio.file.Path.of("bundled:gfwlist"), null).rules().getFirst().origin().list())
                .isEqualTo("gfw");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BundledLists.readIpList("x", java.nio.file.Path.of("bundled:gfwlist")))
                .hasMessage("bundled:gfwlist is not a bundled IP list: there is bundled:chnroute");
    }
}
