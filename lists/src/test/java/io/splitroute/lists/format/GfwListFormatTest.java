package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GfwListFormatTest {
    private final GfwListFormat format = new GfwListFormat();

    /** Real gfwlist lines (2026-08-06 and 2021-05-30) and what each becomes. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "||google.com => suffix:google.com",
        "|http://www.dmm.com/netgame => suffix:www.dmm.com",
        "|https://riseup.net => suffix:riseup.net",
        "|http://img.dlsite.jp/ => suffix:img.dlsite.jp",
        ".casinobellini.com => suffix:casinobellini.com",
        "www.aolnews.com => suffix:www.aolnews.com",
        "news.now.com%2Fhome => suffix:news.now.com",
        "bbs.sina.com%2F => suffix:bbs.sina.com",
        "||example.com:8080 => suffix:example.com",
        "|http://*.pimg.tw/ => suffix:pimg.tw",
        "|https://fbcdn*.akamaihd.net/ => suffix:akamaihd.net",
        "||cdn*.i-scmp.com => suffix:i-scmp.com",
        "|http://*2.bahamut.com.tw => suffix:bahamut.com.tw",
        "|http://hum*.uchicago.edu/faculty/ywang/history => suffix:uchicago.edu",
        "||addons.mozilla.org/*-*/firefox/addon/ublock-origin/* => suffix:addons.mozilla.org",
        "||Example.COM => suffix:example.com",
        "`||neodb.social ` => suffix:neodb.social",
        "@@||dl.google.com => @@suffix:dl.google.com",
        "@@||*.tokenplus.app => @@suffix:tokenplus.app",
        "@@|http://www.gov.tw => @@suffix:www.gov.tw",
        "!--ehentai => ignored",
        "[AutoProxy 0.2.9] => ignored",
        "`` => ignored",
        "/^https?:\\/\\/[^\\/]+blogspot\\.(.*)/ => skipped: regex",
        "@@/^https?:\\/\\/(?=.*?(2x3|ni5|j5o))[a-z0-9.-]+\\.xn--ngstr-lra8j\\.com$ => skipped: regex",
        "|http://85.17.73.31/ => skipped: ip",
        "50.7.31.230:8898 => skipped: ip",
        "||googlescholar.comUSA => problem: unknown top-level domain \"comusa\" in \"googlescholar.comusa\" (rule \"||googlescholar.comUSA\")",
        "||s3-ap-*.amazonaws.com => problem: wildcard '*' inside a label in \"s3-ap-*.amazonaws.com\" (rule \"||s3-ap-*.amazonaws.com\")",
        "||example.* => problem: wildcard '*' inside a label in \"example.*\" (rule \"||example.*\")",
        "|http:// => problem: no host in rule \"|http://\"",
    })
    void parse_realLines(String line, String expected) {
        assertThat(FormatOutcome.of(format.parse("gfwlist", "gfwlist.txt", line))).isEqualTo(expected);
    }

    @Test
    void parse_problemCarriesSourceAndLine() {
        ParsedList list = format.parse("gfwlist", "/var/lib/splitroute/gfwlist.txt", "[AutoProxy 0.2.9]\n||google.com\n||googlescholar.comUSA\n");
        assertThat(list.problems()).hasSize(1);
        assertThat(list.problems().get(0).toString()).startsWith("/var/lib/splitroute/gfwlist.txt:3: unknown top-level domain \"comusa\"");
        assertThat(list.rules()).extracting(Rule::value).containsExactly("google.com");
    }

    @Test
    void parse_fixtureCountsEveryKindOfLine() throws IOException {
        String text = fixture("gfwlist-sample.txt");
        ParsedList list = format.parse("gfwlist", "gfwlist-sample.txt", text);
        assertThat(list.ruleCounts()).isEqualTo(Map.of(RuleKind.SUFFIX, 18));
        assertThat(list.exceptionCount()).isEqualTo(3);
        assertThat(list.skipped()).isEqualTo(Map.of("ip", 2, "regex", 2));
        assertThat(list.problems()).extracting(ParseProblem::line).containsExactly(29, 30);
        assertThat(list.summary()).isEqualTo("gfwlist: 21 rules (18 suffix, 3 exception), 2 ip skipped, 2 regex skipped, 2 dropped (1 unknown top-level domain, 1 invalid name)");
        Rule neodb = list.rules().stream().filter(r -> r.value().equals("neodb.social")).findFirst().orElseThrow();
        assertThat(neodb.origin().text()).isEqualTo("||neodb.social ");
        assertThat(neodb.origin().line()).isEqualTo(25);
    }

    @Test
    void parse_base64AsPublishedEqualsDecodedText() throws IOException {
        String text = fixture("gfwlist-sample.txt");
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(text.getBytes(StandardCharsets.UTF_8));
        assertThat(GfwListFormat.isBase64(base64)).isTrue();
        assertThat(GfwListFormat.isBase64(text)).isFalse();
        ParsedList fromBase64 = format.parse("gfwlist", "gfwlist-sample.txt", base64);
        ParsedList fromText = format.parse("gfwlist", "gfwlist-sample.txt", text);
        assertThat(fromBase64.rules()).extracting(Rule::describe).isEqualTo(fromText.rules().stream().map(Rule::describe).toList());
        assertThat(fromBase64.rules()).extracting(r -> r.origin().location())
                .isEqualTo(fromText.rules().stream().map(r -> r.origin().location().replace(".txt:", ".txt (base64), decoded line ")).toList());
        assertThat(fromBase64.problems()).extracting(ParseProblem::toString)
                .isEqualTo(fromText.problems().stream().map(p -> p.toString().replace(".txt:", ".txt (base64), decoded line ")).toList());
        assertThat(fromBase64.source()).isEqualTo("gfwlist-sample.txt");
    }

    @Test
    void load_base64FileStreamedEqualsWholeText(@TempDir Path dir) throws IOException {
        String text = fixture("gfwlist-sample.txt");
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\n";
        Path encoded = Files.writeString(dir.resolve("gfwlist.txt"), base64);
        Path plain = Files.writeString(dir.resolve("plain.txt"), text);

        for (ListFormatKind kind : new ListFormatKind[] {null, ListFormatKind.GFWLIST}) {
            ParsedList streamed = ListLoader.load("gfwlist", encoded, kind);
            ParsedList whole = format.parse("gfwlist", encoded.toString(), base64);
            assertThat(streamed.rules()).isEqualTo(whole.rules()).isNotEmpty();
            assertThat(streamed.problems()).isEqualTo(whole.problems()).isNotEmpty();
            assertThat(streamed.problems().getFirst().toString()).startsWith(encoded + " (base64), decoded line ");
            assertThat(ListLoader.load("gfwlist", plain, kind).rules())
                    .isEqualTo(format.parse("gfwlist", plain.toString(), text).rules());
        }
    }

    @Test
    void load_brokenBase64FileIsOneProblem(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("g.txt"), "WzFB=dG9Qcm94eSAwLjIuOV0=XXXXXXXX\n");

        ParsedList list = ListLoader.load("gfwlist", file, ListFormatKind.GFWLIST);

        assertThat(list.rules()).isEmpty();
        assertThat(list.problems()).singleElement().asString().startsWith(file + ":1: looks like base64 but does not decode");
    }


    @Test
    void parse_brokenBase64IsOneProblemNotACrash() {
        ParsedList list = format.parse("gfwlist", "g.txt", "WzFB=dG9Qcm94eSAwLjIuOV0=XXXXXXXX\n");
        assertThat(list.rules()).isEmpty();
        assertThat(list.problems()).hasSize(1);
        assertThat(list.problems().get(0).toString()).startsWith("g.txt:1: looks like base64 but does not decode");
    }

    @Test
    void parse_keepsIdnAsPunycode() {
        List<Rule> rules = format.parse("gfwlist", "g", "||例子.中国\n").rules();
        assertThat(rules).extracting(Rule::value).containsExactly("xn--fsqu00a.xn--fiqs8s");
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = GfwListFormatTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
