package io.splitroute.lists.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table file: what is written is read back, and a damaged file is refused with the reason, never used. */
class RuleTableFileTest {
    @TempDir
    Path dir;
    private Path file;
    private RuleTable table;

    @BeforeEach
    void setUp() throws IOException {
        Origin o = new Origin("gfwlist", "/lists/gfwlist.txt (decoded)", 12, "||google.com");
        table = RuleTable.builder().route("tunnel").route("domestic")
                .add("tunnel", Rule.suffix("google.com", o))
                .add("tunnel", Rule.suffix("dl.google.com", new Origin("gfwlist", "/lists/gfwlist.txt", 13, "@@||dl.google.com")).asException())
                .add("domestic", Rule.suffix("cn", new Origin("china", "/lists/china.conf", 1, "server=/cn/114.114.114.114")))
                .add("domestic", new Rule(RuleKind.KEYWORD, "baidu", false, new Origin("mine", "cfg", 2, "keyword:baidu")))
                .build();
        file = dir.resolve("rules.bin");
        RuleTableFile.write(file, table, "the key ✓", "extra".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void open_roundTripGivesTheSameDecisionsKeyAndExtra() throws IOException {
        RuleTableFile.Opened opened = RuleTableFile.open(file);

        assertThat(opened.key()).isEqualTo("the key ✓");
        assertThat(opened.extra()).asString(StandardCharsets.UTF_8).isEqualTo("extra");
        RuleTable mapped = opened.table();
        assertThat(mapped.compiledForm().isNative()).as("read in place from the mapped file").isTrue();
        for (String name : new String[] {"www.google.com", "dl.google.com", "x.dl.google.com", "a.cn", "baidu.jp", "example.org"}) {
            assertThat(mapped.lookup(name)).as(name).isEqualTo(table.lookup(name));
            assertThat(mapped.matchingRules(name)).as(name).isEqualTo(table.matchingRules(name));
        }
        assertThat(mapped.lookup("www.google.com").rule().origin().toString())
                .isEqualTo("gfwlist /lists/gfwlist.txt (base64), decoded line 12 \"||google.com\"");
        assertThat(mapped.size()).isEqualTo(4);
        assertThat(mapped.routes()).containsExactly("tunnel", "domestic");
    }

    @Test
    void open_truncatedFileIsRefused() throws IOException {
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 9));

        assertThatThrownBy(() -> RuleTableFile.open(file)).isInstanceOf(RuleTableFile.InvalidFileException.class)
                .hasMessage("truncated: " + (whole.length - 9) + " bytes, the header says " + whole.length);
        Files.write(file, Arrays.copyOf(whole, 20));
        assertThatThrownBy(() -> RuleTableFile.open(file)).hasMessage("truncated: 20 bytes, shorter than the header");
    }

    @Test
    void open_corruptHeaderIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[58] ^= 1; // inside the key
        Files.write(file, bytes);

        assertThatThrownBy(() -> RuleTableFile.open(file)).isInstanceOf(RuleTableFile.InvalidFileException.class)
                .hasMessage("corrupt header: checksum mismatch");
    }

    @Test
    void open_corruptHeaderLengthsAreRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 1 << 20); // key length
        Files.write(file, bytes);

        assertThatThrownBy(() -> RuleTableFile.open(file)).isInstanceOf(RuleTableFile.InvalidFileException.class)
                .hasMessageStartingWith("corrupt header: key 1048576, extra 5, body ");
    }

    @Test
    void open_corruptRulesAreRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 100] ^= 0x40;
        Files.write(file, bytes);

        assertThatThrownBy(() -> RuleTableFile.open(file)).isInstanceOf(RuleTableFile.InvalidFileException.class)
                .hasMessage("corrupt: the rules' checksum does not match");
    }

    @Test
    void open_otherVersionOrOtherFileIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, RuleTableFile.FORMAT_VERSION + 1);
        Files.write(file, bytes);
        assertThatThrownBy(() -> RuleTableFile.open(file))
                .hasMessage("format version " + (RuleTableFile.FORMAT_VERSION + 1) + ", this splitroute reads version "
                        + RuleTableFile.FORMAT_VERSION);

        Files.writeString(file, "server=/cn/114.114.114.114\n".repeat(10));
        assertThatThrownBy(() -> RuleTableFile.open(file)).isInstanceOf(RuleTableFile.InvalidFileException.class)
                .hasMessage("not a compiled rule table (no SRRULES header)");
    }

    @Test
    void write_replacesAtomicallyWhileTheOldFileStaysMapped() throws IOException {
        RuleTable before = RuleTableFile.open(file).table();
        RuleTable other = RuleTable.builder().route("r").add("r", Rule.suffix("example.org", new Origin("l", "s", 1, "t"))).build();

        RuleTableFile.write(file, other, "k2", new byte[0]);

        assertThat(before.lookup("www.google.com").route()).as("the old mapping still reads its rules").isEqualTo("tunnel");
        assertThat(RuleTableFile.open(file).table().lookup("www.example.org").route()).isEqualTo("r");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
