package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.format.DnsmasqDirective.NftSet;
import io.splitroute.lists.rule.RuleTable;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsmasqFormatTest {
    private final DnsmasqFormat format = new DnsmasqFormat();

    /** Real lines (china list, gfwlist2dnsmasq output, OpenWrt lists) and dnsmasq man-page forms. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "server=/baidu.com/114.114.114.114 => suffix:baidu.com",
        "server=/cn/114.114.114.114 => suffix:cn",
        "#server=/www.bing.com/114.114.114.114 # Disabled: https://github.com/felixonmars/dnsmasq-china-list/issues/100 => ignored",
        "server=/000webhost.com/127.0.0.1#5353 => suffix:000webhost.com",
        "ipset=/000webhost.com/gfwlist => suffix:000webhost.com",
        "nftset=/.ua/4#inet#fw4#vpn_domains => suffix:ua",
        "ipset=/a.com/B.com/set1,set-2 => suffix:a.com suffix:b.com",
        "address=/ads.example.com/0.0.0.0  # block it => suffix:ads.example.com",
        "address=/a.com/# => suffix:a.com",
        "address=/a.com/ => suffix:a.com",
        "local=/lan/ => suffix:lan",
        "`  server = /a.com/1.2.3.4` => suffix:a.com",
        "server=/*.example.com/1.2.3.4 => suffix:example.com @@full:example.com",
        "server=/*example.com/1.2.3.4 => regexp:\\Qexample.com\\E$",
        "server=/www.google.com/# => @@suffix:www.google.com",
        "server=/例子.中国/1.2.3.4 => suffix:xn--fsqu00a.xn--fiqs8s",
        "server=//1.2.3.4 => skipped: unqualified-names (//)",
        "address=/#/1.2.3.4 => skipped: every-name (/#/)",
        "server=1.1.1.1 => ignored",
        "listen-address=127.0.0.1 => ignored",
        "server=/a.com/1.2.3.4#99999 => problem: port \"99999\" is not a number from 1 to 65535",
        "server=/a.com/not-an-ip => problem: upstream \"not-an-ip\" is not an IP address",
        "server=/bad..name/114.114.114.114 => problem: empty label in \"bad..name\"",
        "server=/Baidu.COM./114.114.114.114 => suffix:baidu.com",
        "server=/a b.com/1.2.3.4 => problem: character ' ' (space) not allowed in \"a b.com\"",
        "ipset=/a.com/ => problem: ipset= needs /domain/ and at least one set name",
        "nftset=/a.com/4#inet#fw4 => suffix:a.com",
        "nftset=/a.com/4#x#y#z#w => problem: nftset \"4#x#y#z#w\" is not [4#|6#][family#]table#set",
        "server=/a.com => problem: unterminated domain list in \"/a.com\" (expected /domain/...)",
    })
    void parse_lines(String line, String expected) {
        assertThat(FormatOutcome.of(format.parse("l", "l.conf", line))).isEqualTo(expected);
    }

    @Test
    void parseConfig_exposesDirectivesForImport() {
        String conf = """
                # router dnsmasq.conf
                listen-address=127.0.0.1,192.168.1.1
                port=53
                no-resolv
                server=1.1.1.1
                server=::1#5353
                cache-size=10000
                dhcp-range=192.168.1.50,192.168.1.150,12h
                server=/google.com/youtube.com/127.0.0.1#5353@wg0
                ipset=/google.com/youtube.com/gfw4,gfw6
                nftset=/a.com/b.com/4#inet#fw4#set4,6#inet#fw4#set6
                nftset=/c.com/fw4#myset
                local=/lan/
                address=/router.lan/192.168.1.1
                conf-file=/etc/dnsmasq.d/accelerated-domains.china.conf
                """;
        DnsmasqConfig c = format.parseConfig("router", "/etc/dnsmasq.conf", conf);
        assertThat(c.optionValues("listen-address")).containsExactly("127.0.0.1,192.168.1.1");
        assertThat(c.optionValues("port")).containsExactly("53");
        assertThat(c.optionValues("no-resolv")).containsExactly("");
        assertThat(c.optionValues("conf-file")).containsExactly("/etc/dnsmasq.d/accelerated-domains.china.conf");
        assertThat(c.unknownOptions()).extracting(DnsmasqDirective.Option::name).containsExactly("dhcp-range");
        assertThat(c.defaultServers()).extracting(DnsmasqDirective.Server::address, DnsmasqDirective.Server::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1.1.1.1", 53), org.assertj.core.groups.Tuple.tuple("::1", 5353));
        DnsmasqDirective.Server tunnel = c.servers().get(2);
        assertThat(tunnel.domains()).containsExactly("google.com", "youtube.com");
        assertThat(tunnel.address()).isEqualTo("127.0.0.1");
        assertThat(tunnel.port()).isEqualTo(5353);
        assertThat(tunnel.via()).isEqualTo("wg0");
        assertThat(tunnel.line()).isEqualTo(9);
        assertThat(c.servers().get(3)).satisfies(s -> {
            assertThat(s.option()).isEqualTo("local");
            assertThat(s.address()).isNull();
        });
        assertThat(c.ipsets().get(0).sets()).containsExactly("gfw4", "gfw6");
        assertThat(c.nftsets().get(0).sets()).containsExactly(new NftSet(4, "inet", "fw4", "set4"), new NftSet(6, "inet", "fw4", "set6"));
        assertThat(c.nftsets().get(1).sets()).containsExactly(new NftSet(0, null, "fw4", "myset"));
        assertThat(c.addresses().get(0).address()).isEqualTo("192.168.1.1");
        assertThat(c.list().rules()).hasSize(7);
        assertThat(c.list().skipped()).containsEntry("duplicate", 2);
        assertThat(c.list().problems()).isEmpty();
    }

    @Test
    void parse_chinaFixtureRoutesTldsAndSkipsDisabledLines() throws IOException {
        ParsedList list = format.parse("china", "china-sample.conf", GfwListFormatTest.fixture("china-sample.conf"));
        assertThat(list.summary()).isEqualTo("china: 7 rules (7 suffix), 0 dropped");
        RuleTable t = RuleTable.builder().route("domestic").addAll("domestic", list.rules()).build();
        assertThat(t.lookup("www.gov.cn").rule().origin().line()).isEqualTo(3);
        assertThat(t.lookup("例子.中国").route()).isEqualTo("domestic");
        assertThat(t.lookup("www.bing.com").matched()).isFalse();
    }

    @Test
    void parse_subdomainsOnlyPatternExcludesApex() {
        ParsedList list = format.parse("l", "l.conf", "server=/*.example.com/1.2.3.4\n");
        RuleTable t = RuleTable.builder().route("r").addAll("r", list.rules()).build();
        assertThat(t.lookup("www.example.com").route()).isEqualTo("r");
        assertThat(t.lookup("example.com").excluded()).isTrue();
    }

    @Test
    void parse_globTailMatchesNamesEndingInText() {
        ParsedList list = format.parse("l", "l.conf", "server=/*example.com/1.2.3.4\n");
        RuleTable t = RuleTable.builder().route("r").addAll("r", list.rules()).build();
        assertThat(List.of("example.com", "a.example.com", "superexample.com"))
                .allSatisfy(n -> assertThat(t.lookup(n).route()).isEqualTo("r"));
        assertThat(t.lookup("example.com.cn").matched()).isFalse();
    }

    @Test
    void stripComment_onlyAtStartOrAfterWhitespace() {
        assertThat(DnsmasqFormat.stripComment("server=/a/1.2.3.4#5353")).isEqualTo("server=/a/1.2.3.4#5353");
        assertThat(DnsmasqFormat.stripComment("server=/a/1.2.3.4 #note")).isEqualTo("server=/a/1.2.3.4 ");
        assertThat(DnsmasqFormat.stripComment("\t# x")).isEqualTo("\t");
    }
}
