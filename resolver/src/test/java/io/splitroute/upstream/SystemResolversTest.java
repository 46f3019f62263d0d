package io.splitroute.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SystemResolversTest {

    @TempDir
    Path dir;

    private List<String> read(String content) throws IOException {
        Path file = Files.writeString(dir.resolve("resolv.conf"), content);
        return SystemResolvers.read(file).stream().map(UpstreamAddress::uri).toList();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            nameserver 192.0.2.1                                         | udp://192.0.2.1:53
            nameserver 192.0.2.1\\nnameserver 192.0.2.2                  | udp://192.0.2.1:53,udp://192.0.2.2:53
            nameserver 2001:db8::53                                      | udp://[2001:db8::53]:53
            nameserver fe80::1%1                                         | udp://[fe80::1%1]:53
            '  nameserver\t192.0.2.1  '                                  | udp://192.0.2.1:53
            nameserver 192.0.2.1 # the router                            | udp://192.0.2.1:53
            nameserver 192.0.2.1;comment                                 | udp://192.0.2.1:53
            # nameserver 192.0.2.9\\nnameserver 192.0.2.1                | udp://192.0.2.1:53
            ; nameserver 192.0.2.9                                       | ''
            search lan\\noptions edns0 trust-ad\\nnameserver 127.0.0.53 | udp://127.0.0.53:53
            domain home\\nsortlist 130.155.160.0/255.255.240.0           | ''
            nameserver\\nnameserver 192.0.2.1                            | udp://192.0.2.1:53
            nameserver dns.example\\nnameserver 192.0.2.1                | udp://192.0.2.1:53
            nameservers 192.0.2.9                                        | ''
            ''                                                           | ''
            """)
    void read_nameserverLinesInOrder(String content, String expected) throws IOException {
        List<String> want = expected == null || expected.isEmpty() ? List.of() : Arrays.asList(expected.split(","));

        assertThat(read(content.replace("\\n", "\n"))).containsExactlyElementsOf(want);
    }

    @Test
    void read_missingFile_throwsWithPath() {
        Path missing = dir.resolve("nope.conf");

        assertThatThrownBy(() -> SystemResolvers.read(missing))
                .isInstanceOf(IOException.class).hasMessageContaining("nope.conf");
    }
}
