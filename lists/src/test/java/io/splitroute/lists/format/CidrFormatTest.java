package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.SharedData;
import io.splitroute.lists.ip.IpPrefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrFormatTest {
    private static String outcome(String line) {
        ParsedIpList list = new CidrFormat().parse("ips", "ips.txt", line + "\n");
        if (!list.problems().isEmpty()) {
            return list.problems().getFirst().category() + ": " + list.problems().getFirst().reason();
        }
        return list.prefixes().stream().map(IpPrefix::toString).collect(Collectors.joining(" "));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1.1.8.0/24                 | 1.1.8.0/24",
        "  10.0.0.0/8   # private   | 10.0.0.0/8",
        "0.0.0.0/0                  | 0.0.0.0/0",
        "255.255.255.255/32         | 255.255.255.255/32",
        "192.0.2.7                  | 192.0.2.7/32",
        "2001:db8::/32              | 2001:db8::/32",
        "2001:DB8:0:0:0:0:0:0/32    | 2001:db8::/32",
        "::/0                       | ::/0",
        "2001:db8::1                | 2001:db8::1/128",
        "fe80::/10                  | fe80::/10",
        "2001:db8:0:1::/64          | 2001:db8:0:1::/64",
        "# only a comment           | ''",
        "1.2.3.4/24                 | host bits set: \"1.2.3.4/24\" has address bits set after the prefix length (the network is 1.2.3.0/24)",
        "2001:db8::1/32             | host bits set: \"2001:db8::1/32\" has address bits set after the prefix length (the network is 2001:db8::/32)",
        "1.2.3.0/33                 | bad prefix length: prefix length \"33\" is not a number from 0 to 32 (in \"1.2.3.0/33\")",
        "2001:db8::/129             | bad prefix length: prefix length \"129\" is not a number from 0 to 128 (in \"2001:db8::/129\")",
        "1.2.3.0/                   | bad prefix length: prefix length \"\" is not a number from 0 to 32 (in \"1.2.3.0/\")",
        "1.2.3.0/x                  | bad prefix length: prefix length \"x\" is not a number from 0 to 32 (in \"1.2.3.0/x\")",
        "1.2.3/24                   | bad address: \"1.2.3\" is not an IPv4 address (four numbers 0-255 with dots) (in \"1.2.3/24\")",
        "1.2.3.256/32               | bad address: \"1.2.3.256\" is not an IPv4 address (four numbers 0-255 with dots) (in \"1.2.3.256/32\")",
        "1.2.3.4.5                  | bad address: \"1.2.3.4.5\" is not an IPv4 address (four numbers 0-255 with dots) (in \"1.2.3.4.5\")",
        "example.com                | bad address: \"example.com\" is not an IPv4 address (four numbers 0-255 with dots) (in \"example.com\")",
        "2001:db8:::1/64            | bad address: \"2001:db8:::1\" is not an IPv6 address (in \"2001:db8:::1/64\")",
        "fe80::1%eth0               | bad address: \"fe80::1%eth0\" has a zone index, which a network cannot have (in \"fe80::1%eth0\")",
        "::ffff:1.2.3.0/120         | bad address: \"::ffff:1.2.3.0\" is an IPv4-mapped IPv6 address: write the IPv4 network instead (in \"::ffff:1.2.3.0/120\")",
    })
    void parse_line(String line, String expected) {
        assertThat(outcome(line)).isEqualTo(expected);
    }

    @Test
    void parse_badLineIsReportedWithItsNumberAndSkipped() {
        ParsedIpList list = new CidrFormat().parse("chn", "chn.txt", "# header\n1.1.8.0/24\n1.2.3.4/24\n\n2001:db8::/32\n1.1.8.0/24\n");

        assertThat(list.prefixCount()).isEqualTo(2);
        assertThat(list.problems()).singleElement().asString().startsWith("chn.txt:3: \"1.2.3.4/24\" has address bits set");
        assertThat(list.summary()).isEqualTo("chn: 2 networks (1 IPv4, 1 IPv6), 1 duplicate skipped, 1 dropped (1 host bits set)");
        assertThat(list.table().contains(0x01010801)).isTrue();
        assertThat(list.table().contains(0x01020304)).isFalse();
    }

    @Test
    void loadIpList_readsTheRealChnroutes() throws IOException {
        Path file = SharedData.require("chnroutes2/chnroutes.txt");

        ParsedIpList list = ListLoader.loadIpList("chnroute", file);

        assertThat(list.prefixCount()).isEqualTo(3912);
        assertThat(list.problems()).isEmpty();
        assertThat(list.table().contains(new byte[] {1, 1, 8, 1})).isTrue();
    }

    @Test
    void loadIpList_streamsAFileWithTheSameResultAsText(@TempDir Path dir) throws IOException {
        String text = "\uFEFF1.0.1.0/24\r\n# c\r\n2400:da00::/32\r\nbad\r\n";
        Path file = Files.writeString(dir.resolve("ips.txt"), text);

        ParsedIpList fromFile = ListLoader.loadIpList("ips", file);
        ParsedIpList fromText = new CidrFormat().parse("ips", file.toString(), text);

        assertThat(fromFile.prefixes()).isEqualTo(fromText.prefixes()).hasSize(2);
        assertThat(fromFile.problems()).isEqualTo(fromText.problems()).hasSize(1);
        assertThat(fromFile.problems().getFirst().line()).isEqualTo(4);
    }

    @Test
    void load_asDomainListIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("ips.txt"), "1.0.1.0/24\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ListLoader.load("ips", file, ListFormatKind.CIDR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cidr is an IP-list format, not a domain-list format");
        assertThat(ListFormatKind.fromName("CIDR")).isEqualTo(ListFormatKind.CIDR);
        assertThat(ListFormatKind.CIDR.ipList()).isTrue();
    }
}
