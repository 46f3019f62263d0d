package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainsFormatTest {
    private final DomainsFormat format = new DomainsFormat();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "google.com => suffix:google.com",
        "`  WWW.Example.COM.  ` => suffix:www.example.com",
        ".ua => suffix:ua",
        "cn => suffix:cn",
        "netflix.com # streaming => suffix:netflix.com",
        "# a comment => ignored",
        "`` => ignored",
        "bad..name => problem: empty label in \"bad..name\"",
        "a b.com => problem: character ' ' (space) not allowed in \"a b.com\"",
    })
    void parse_lines(String line, String expected) {
        assertThat(FormatOutcome.of(format.parse("own", "own.txt", line))).isEqualTo(expected);
    }

    @Test
    void parse_reportsLineNumbers() {
        ParsedList list = format.parse("own", "/etc/splitroute/own.txt", "a.com\r\n\r\nb..com\nc.com\n");
        assertThat(list.rules()).hasSize(2);
        assertThat(list.problems()).extracting(Object::toString).containsExactly("/etc/splitroute/own.txt:3: empty label in \"b..com\"");
        assertThat(list.summary()).isEqualTo("own: 2 rules (2 suffix), 1 dropped (1 invalid name)");
    }
}
