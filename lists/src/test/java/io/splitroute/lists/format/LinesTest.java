package io.splitroute.lists.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinesTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a\n", "a\r\nb", "\uFEFFa\nb\n", "a\n\n\nb\r\n", "a\rb\n", "\r\n", "x\r"})
    void reader_givesTheLinesOfTheString(String text) {
        assertThat(lines(new Lines(new StringReader(text)))).isEqualTo(lines(new Lines(text)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16383, 16384, 16385, 40000})
    void reader_longLinesAcrossBuffers(int length) {
        String text = "x".repeat(length) + "\r\n" + "y".repeat(length / 2) + "\nz";

        Lines lines = new Lines(new StringReader(text));

        assertThat(lines(lines)).containsExactly("x".repeat(length), "y".repeat(length / 2), "z");
        assertThat(lines.number()).isEqualTo(3);
    }

    private static List<String> lines(Lines lines) {
        List<String> out = new ArrayList<>();
        for (String l = lines.next(); l != null; l = lines.next()) {
            out.add(lines.number() + ":" + l);
        }
        return out.stream().map(s -> s.substring(s.indexOf(':') + 1)).toList();
    }
}
