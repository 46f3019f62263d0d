package io.splitroute.lists.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "WWW.Example.COM.       | www.example.com",
        "google.com             | google.com",
        "cn                     | cn",
        "xn--80AGLFYFK.xn--p1ai | xn--80aglfyfk.xn--p1ai",
        "例子.中国               | xn--fsqu00a.xn--fiqs8s",
        "_dmarc.example.com     | _dmarc.example.com",
        "a-b.c0.net             | a-b.c0.net",
    })
    void normalize_validNames(String input, String expected) {
        assertThat(DomainNames.normalize(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'neodb.social '         | character ' ' (space) not allowed in \"neodb.social \"",
        "s3-ap-*.amazonaws.com   | wildcard '*' inside a label in \"s3-ap-*.amazonaws.com\"",
        "a..com                  | empty label in \"a..com\"",
        "''                      | empty domain name",
        "-bad.com                | label starts or ends with '-' in \"-bad.com\"",
        "example.com:8080        | character ':' not allowed in \"example.com:8080\"",
    })
    void normalize_invalidNames_sayWhy(String input, String reason) {
        assertThatThrownBy(() -> DomainNames.normalize(input))
                .isInstanceOf(InvalidDomainNameException.class)
                .hasMessage(reason);
    }

    @Test
    void normalize_rejectsOverlongLabelAndName() {
        String label64 = "a".repeat(64);
        assertThatThrownBy(() -> DomainNames.normalize(label64 + ".com")).hasMessageContaining("label longer than 63");
        String name254 = ("a".repeat(49) + ".").repeat(5) + "abcd";
        assertThat(name254).hasSize(254);
        assertThatThrownBy(() -> DomainNames.normalize(name254)).hasMessageContaining("longer than 253");
        assertThat(DomainNames.normalize("a".repeat(63) + ".com")).hasSize(67);
    }

    @Test
    void normalize_overlongUnicodeNameIsAnInvalidNameNotACrash() {
        // The JDK's punycode encoder throws a bare RuntimeException past 1024 units in a label.
        String longUnicode = "\u00fc".repeat(1026) + ".example";
        assertThatThrownBy(() -> DomainNames.normalize(longUnicode))
                .isInstanceOf(InvalidDomainNameException.class)
                .hasMessageContaining("longer than 253");
        assertThat(DomainNames.toLookupForm(longUnicode)).isNull();
        String underBound = "\u00fc".repeat(900) + ".example";
        assertThatThrownBy(() -> DomainNames.normalize(underBound)).isInstanceOf(InvalidDomainNameException.class);
        assertThat(DomainNames.toLookupForm(underBound)).isNull();
    }

    @Test
    void toLookupForm_returnsSameInstanceWhenAlreadyClean() {
        String name = "www.google.com";
        assertThat(DomainNames.toLookupForm(name)).isSameAs(name);
    }

    @Test
    void toLookupForm_foldsCaseTrailingDotAndIdn() {
        assertThat(DomainNames.toLookupForm("WWW.Google.COM.")).isEqualTo("www.google.com");
        assertThat(DomainNames.toLookupForm("例子.中国.")).isEqualTo("xn--fsqu00a.xn--fiqs8s");
        assertThat(DomainNames.toLookupForm(null)).isNull();
    }

    @Test
    void hasKnownTld_rejectsTypoTld() {
        assertThat(DomainNames.hasKnownTld("googlescholar.com")).isTrue();
        assertThat(DomainNames.hasKnownTld("xn--fsqu00a.xn--fiqs8s")).isTrue();
        assertThat(DomainNames.hasKnownTld("googlescholar.comusa")).isFalse();
        assertThat(KnownTlds.count()).isGreaterThan(1000);
    }
}
