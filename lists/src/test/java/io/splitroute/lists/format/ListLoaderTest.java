package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListLoaderTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", value = {
        "[AutoProxy 0.2.9]\\n||google.com => GFWLIST",
        "! comment\\n||google.com => GFWLIST",
        "@@||dl.google.com => GFWLIST",
        "|http://www.dmm.com/netgame => GFWLIST",
        "# china\\nserver=/baidu.com/114.114.114.114 => DNSMASQ",
        "nftset=/.ua/4#inet#fw4#vpn_domains => DNSMASQ",
        "ipset=/a.com/gfwlist => DNSMASQ",
        "# v2fly\\ninclude:google\\nfull:a.com => V2FLY",
        "netflix.com\\ndomain:fast.com => V2FLY",
        "google.com\\nbaidu.com => DOMAINS",
    })
    void detect_byContent(String text, ListFormatKind expected) {
        assertThat(ListLoader.detect(text.replace("\\n", "\n"))).isEqualTo(expected);
    }

    @Test
    void detect_base64Gfwlist() {
        String b64 = Base64.getMimeEncoder().encodeToString("[AutoProxy 0.2.9]\n||google.com\n".getBytes(StandardCharsets.UTF_8));
        assertThat(ListLoader.detect(b64)).isEqualTo(ListFormatKind.GFWLIST);
    }

    @Test
    void load_fileWithDetectionAndExplicitFormat(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("own.txt");
        Files.writeString(file, "google.com\nserver.example\n");
        ParsedList detected = ListLoader.load("own", file, null);
        assertThat(detected.format()).isEqualTo(ListFormatKind.DOMAINS);
        assertThat(detected.rules()).hasSize(2);
        assertThat(detected.source()).isEqualTo(file.toString());
        ParsedList forced = ListLoader.load("own", file, ListFormatKind.GFWLIST);
        assertThat(forced.format()).isEqualTo(ListFormatKind.GFWLIST);
    }

    @Test
    void load_v2flyFileResolvesIncludesBesideIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("main"), "include:child\nfull:a.com\n");
        Files.writeString(dir.resolve("child"), "b.com\n");
        ParsedList list = ListLoader.load("main", dir.resolve("main"), null);
        assertThat(list.rules()).extracting(r -> r.describe()).containsExactly("suffix:b.com", "full:a.com");
    }

    @Test
    void load_stream() throws IOException {
        ParsedList list = ListLoader.load("l", "bundled:l", new ByteArrayInputStream("||a.com\n".getBytes(StandardCharsets.UTF_8)), null);
        assertThat(list.summary()).isEqualTo("l: 1 rules (1 suffix), 0 dropped");
    }

    @Test
    void load_missingFileFailsWithIoException(@TempDir Path dir) {
        assertThatThrownBy(() -> ListLoader.load("x", dir.resolve("missing"), null)).isInstanceOf(IOException.class);
    }

    @Test
    void fromName_acceptsConfigNames() {
        assertThat(ListFormatKind.fromName("Dnsmasq")).isEqualTo(ListFormatKind.DNSMASQ);
        assertThatThrownBy(() -> ListFormatKind.fromName("hosts")).hasMessageContaining("unknown list format \"hosts\"");
    }

    @Test
    void load_bigFileStreamedGivesWhatParsingItsTextGives(@TempDir Path dir) throws IOException {
        StringBuilder text = new StringBuilder("# big list\r\n");
        for (int i = 0; i < 5000; i++) {
            text.append("server=/d").append(i).append(".com/114.114.114.114\r\n");
            if (i % 1000 == 7) {
                text.append("server=/bad..name/114.114.114.114\nserver=/d1.com/114.114.114.114\n");
            }
        }
        text.append("server=/last.cn/1.2.3.4");
        Path file = dir.resolve("china.conf");
        Files.writeString(file, text);
        ParsedList expected = ListLoader.parse("china", file.toString(), text.toString(), ListFormatKind.DNSMASQ);

        for (ListFormatKind format : new ListFormatKind[] {ListFormatKind.DNSMASQ, null}) {
            ParsedList loaded = ListLoader.load("china", file, format);

            assertThat(loaded.format()).isEqualTo(ListFormatKind.DNSMASQ);
            assertThat(loaded.rules()).isEqualTo(expected.rules()).hasSize(5001);
            assertThat(loaded.problems()).isEqualTo(expected.problems()).hasSize(5);
            assertThat(loaded.summary()).isEqualTo(expected.summary()).contains("5 duplicate skipped");
            assertThat(loaded.rules().getLast().origin().toString())
                    .isEqualTo("china " + file + ":5012 \"server=/last.cn/1.2.3.4\"");
        }
    }
}
