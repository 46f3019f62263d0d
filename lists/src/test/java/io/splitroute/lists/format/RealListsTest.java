package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.SharedData;
import io.splitroute.lists.rule.RuleKind;
import io.splitroute.lists.rule.RuleTable;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Loads the full real lists from {@code ../shared/data}; each test is skipped when its file is absent. */
class RealListsTest {

    @Test
    void gfwlist_current() throws IOException {
        ParsedList list = ListLoader.load("gfwlist", SharedData.require("gfwlist/gfwlist.txt"), null);
        assertThat(list.format()).isEqualTo(ListFormatKind.GFWLIST);
        assertThat(list.ruleCounts().get(RuleKind.SUFFIX)).isEqualTo(4307);
        assertThat(list.exceptionCount()).isEqualTo(33);
        assertThat(list.skipped()).containsEntry("regex", 2).containsEntry("ip", 1);
        assertThat(list.problems()).isEmpty();
        ParsedList decoded = ListLoader.load("gfwlist", SharedData.require("gfwlist/gfwlist.decoded.txt"), null);
        assertThat(decoded.rules()).hasSameSizeAs(list.rules());
    }

    @Test
    void chinaList_accelerated() throws IOException {
        Path file = SharedData.require("dnsmasq-china-list/accelerated-domains.china.conf");
        ParsedList list = ListLoader.load("china", file, null);
        assertThat(list.format()).isEqualTo(ListFormatKind.DNSMASQ);
        assertThat(list.rules()).hasSize(110_769);
        assertThat(list.problems()).isEmpty();
    }

    @Test
    void chinaList_otherFiles() throws IOException {
        assertThat(ListLoader.load("google-cn", SharedData.require("dnsmasq-china-list/google.china.conf"), null).rules()).hasSize(112);
        assertThat(ListLoader.load("apple-cn", SharedData.require("dnsmasq-china-list/apple.china.conf"), null).rules()).hasSize(164);
        DnsmasqConfig bogus = new DnsmasqFormat().readConfig(SharedData.require("dnsmasq-china-list/bogus-nxdomain.china.conf"));
        assertThat(bogus.optionValues("bogus-nxdomain")).hasSize(165);
        assertThat(bogus.list().rules()).isEmpty();
    }

    @Test
    void openwrtMigrationSamples() throws IOException {
        Path dir = SharedData.require("migration-samples/itdoginfo-allow-domains");
        DnsmasqConfig nft = new DnsmasqFormat().readConfig(dir.resolve("Russia-inside-dnsmasq-nfset.lst"));
        assertThat(nft.nftsets()).hasSize(1183);
        assertThat(nft.list().problems()).isEmpty();
        DnsmasqConfig ipset = new DnsmasqFormat().readConfig(dir.resolve("Russia-inside-dnsmasq-ipset.lst"));
        assertThat(ipset.ipsets()).hasSize(1183);
        assertThat(ipset.list().rules()).hasSameSizeAs(nft.list().rules());
    }

    @Test
    void v2fly_geolocationNotCn() throws IOException {
        Path file = SharedData.require("v2fly-domain-list-community/data/geolocation-!cn");
        ParsedList list = ListLoader.load("geolocation-!cn", file, ListFormatKind.V2FLY);
        assertThat(list.problems()).isEmpty();
        // ±few of the notes' independent resolver (24,067 / 768 / 158 after pruning; we do not prune)
        assertThat(list.ruleCounts().get(RuleKind.REGEXP)).isEqualTo(158);
        assertThat(list.ruleCounts().get(RuleKind.SUFFIX)).isGreaterThan(24_000);
    }

    @Test
    void bothLists_overlapIsDecidedByPrecedence() throws IOException {
        ParsedList gfw = ListLoader.load("gfwlist", SharedData.require("gfwlist/gfwlist.txt"), null);
        ParsedList china = ListLoader.load("china", SharedData.require("dnsmasq-china-list/accelerated-domains.china.conf"), null);
        RuleTable t = RuleTable.builder().route("tunnel").route("domestic")
                .addAll("tunnel", gfw.rules()).addAll("domestic", china.rules()).build();
        assertThat(t.lookup("www.google.com").route()).isEqualTo("tunnel");
        assertThat(t.lookup("www.baidu.com").route()).isEqualTo("domestic");
        assertThat(t.lookup("futunn.com").route()).as("in both lists: first route wins").isEqualTo("tunnel");
        assertThat(t.lookup("x.666pool.cn").route()).as("longer gfwlist suffix beats china /cn/").isEqualTo("tunnel");
        assertThat(t.lookup("dl.google.com").excluded()).isTrue();
        assertThat(t.lookup("fonts.gstatic.com").excluded()).isTrue();
    }
}
