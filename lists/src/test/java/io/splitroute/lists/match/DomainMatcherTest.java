package io.splitroute.lists.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainMatcherTest {
    private final DomainMatcher<String> matcher = DomainMatcher.<String>builder()
            .suffix("google.com", "suffix:google.com")
            .suffix("mail.google.com", "suffix:mail.google.com")
            .full("www.google.com", "full:www.google.com")
            .suffix("cn", "suffix:cn")
            .keyword("netflix", "keyword:netflix")
            .regexp("(^|\\.)dualstack\\.apiproxy-.+\\.amazonaws\\.com$", "regexp:apiproxy")
            .build();

    @Test
    void first_suffixMatchesApexAndSubdomainsOnWholeLabels() {
        assertThat(matcher.first("google.com")).isEqualTo("suffix:google.com");
        assertThat(matcher.first("a.b.google.com")).isEqualTo("suffix:google.com");
        assertThat(matcher.first("xgoogle.com")).isNull();
        assertThat(matcher.first("google.com.evil.org")).isNull();
    }

    @Test
    void first_longestSuffixWins() {
        assertThat(matcher.first("x.mail.google.com")).isEqualTo("suffix:mail.google.com");
        assertThat(matcher.first("x.y.cn")).isEqualTo("suffix:cn");
    }

    @Test
    void first_fullBeatsSuffixButOnlyForTheExactName() {
        assertThat(matcher.first("www.google.com")).isEqualTo("full:www.google.com");
        assertThat(matcher.first("a.www.google.com")).isEqualTo("suffix:google.com");
    }

    @Test
    void first_keywordThenRegexpOnlyWithoutSuffix() {
        assertThat(matcher.first("netflixdnstest1.com")).isEqualTo("keyword:netflix");
        assertThat(matcher.first("x.dualstack.apiproxy-1.amazonaws.com")).isEqualTo("regexp:apiproxy");
        assertThat(matcher.first("netflix.cn")).isEqualTo("suffix:cn");
        assertThat(matcher.first("example.org")).isNull();
    }

    @Test
    void first_foldsCaseAndTrailingDotWithoutConversion() {
        assertThat(matcher.first("WWW.Google.COM.")).isEqualTo("full:www.google.com");
        assertThat(matcher.first("X.MAIL.google.com")).isEqualTo("suffix:mail.google.com");
        assertThat(matcher.first("NetFlixDnsTest1.COM")).isEqualTo("keyword:netflix");
        assertThat(matcher.first("例子.CN")).isEqualTo("suffix:cn");
        assertThat(matcher.first("GOOGLE.COM..")).isNull();
    }

    @Test
    void forEach_visitsInPrecedenceOrder() {
        DomainMatcher<String> m = DomainMatcher.<String>builder()
                .suffix("com", "s:com").suffix("b.com", "s:b.com").full("a.b.com", "f:a.b.com").suffix("a.b.com", "s:a.b.com")
                .keyword("b", "k:b").regexp("a", "r:a").build();
        List<String> seen = new ArrayList<>();
        m.forEach("a.b.com", (kind, v) -> seen.add(kind + " " + v));
        assertThat(seen).containsExactly("FULL f:a.b.com", "SUFFIX s:a.b.com", "SUFFIX s:b.com", "SUFFIX s:com",
                "KEYWORD k:b", "REGEXP r:a");
    }

    @Test
    void forEach_stopsWhenVisitorSaysSo() {
        List<String> seen = new ArrayList<>();
        matcher.forEach("x.mail.google.com", (kind, v) -> seen.add(v) && false);
        assertThat(seen).containsExactly("suffix:mail.google.com");
    }

    @Test
    void builder_mergesDuplicateKeys() {
        DomainMatcher<String> m = DomainMatcher.<String>builder((a, b) -> a + "+" + b)
                .suffix("a.com", "1").suffix("A.com.", "2").build();
        assertThat(m.first("x.a.com")).isEqualTo("1+2");
        assertThat(m.size()).isEqualTo(1);
    }

    @Test
    void first_handlesOddQueryNames() {
        assertThat(matcher.first("")).isNull();
        assertThat(matcher.first(".")).isNull();
        assertThat(matcher.first("google..com")).isNull();
        assertThat(matcher.first(".google.com")).isEqualTo("suffix:google.com");
    }

    @Test
    void first_manyKeysAllFound() {
        DomainMatcher.Builder<Integer> b = DomainMatcher.builder(50_000);
        for (int i = 0; i < 50_000; i++) {
            b.suffix("n" + i + ".example" + (i % 7) + ".com", i);
        }
        DomainMatcher<Integer> m = b.build();
        for (int i = 0; i < 50_000; i++) {
            assertThat(m.first("www.n" + i + ".example" + (i % 7) + ".com")).isEqualTo(i);
        }
        assertThat(m.first("n1.example2.com")).isNull();
    }
}
