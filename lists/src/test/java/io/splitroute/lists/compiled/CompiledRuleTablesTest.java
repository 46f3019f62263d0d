package io.splitroute.lists.compiled;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.rule.Origin;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleTableFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled file is used only while it matches the config and the lists; otherwise it is rebuilt. */
class CompiledRuleTablesTest {
    @TempDir
    Path dir;
    private Path gfw;
    private Path china;
    private Path file;

    @BeforeEach
    void setUp() throws IOException {
        gfw = Files.writeString(dir.resolve("gfwlist.txt"), "[AutoProxy 0.2.9]\n||google.com\n@@||dl.google.com\n||x.comUSA\n");
        china = Files.writeString(dir.resolve("china.conf"), "server=/cn/114.114.114.114\nserver=/baidu.com/114.114.114.114\n");
        file = dir.resolve(CompiledRuleTables.FILE_NAME);
    }

    private RuleTableSpec spec(String firstRoute) {
        String second = firstRoute.equals("tunnel") ? "domestic" : "tunnel";
        RuleTableSpec.Builder b = RuleTableSpec.builder().route(firstRoute).route(second)
                .rule("tunnel", Rule.suffix("youtube.com", new Origin("routes.tunnel.domains", "splitroute.yaml", 9, "youtube.com")))
                .list("tunnel", "gfwlist").list("domestic", "china")
                .listFile("gfwlist", gfw, ListFormatKind.GFWLIST).listFile("china", china, null);
        return b.build();
    }

    @Test
    void load_firstCompilesAndWritesThenMapsTheSameTable() {
        CompiledRuleTables.Loaded first = CompiledRuleTables.load(spec("tunnel"), file);

        assertThat(first.note()).isEqualTo("compiled 5 rules (" + file + ": not there yet); wrote and mapped " + file);
        assertThat(first.mapped()).isTrue();
        assertThat(file).exists();

        CompiledRuleTables.Loaded second = CompiledRuleTables.load(spec("tunnel"), file);

        assertThat(second.note()).isEqualTo("mapped " + file);
        assertThat(second.mapped()).isTrue();
        assertThat(second.table().compiledForm().isNative()).isTrue();
        for (String name : new String[] {"www.google.com", "dl.google.com", "www.youtube.com", "a.cn", "www.baidu.com", "example.org"}) {
            assertThat(second.table().lookup(name)).as(name).isEqualTo(first.table().lookup(name));
        }
        assertThat(second.table().lookup("www.google.com").rule().origin().location()).isEqualTo(gfw + ":2");
        assertThat(second.table().lookup("www.baidu.com").route()).isEqualTo("domestic");
        assertThat(second.lists().get("gfwlist").report()).isEqualTo(first.lists().get("gfwlist").report())
                .hasSize(2).element(1).asString().startsWith(gfw + ":4: unknown top-level domain");
        assertThat(second.lists().get("china").summary()).isEqualTo("china: 2 rules (2 suffix), 0 dropped");
        assertThat(second.lists().keySet()).containsExactly("gfwlist", "china");
    }

    @Test
    void load_changedListIsNoticedAndRebuilt() throws IOException {
        CompiledRuleTables.load(spec("tunnel"), file);
        Files.writeString(china, "server=/cn/114.114.114.114\nserver=/qq.com/114.114.114.114\n");

        CompiledRuleTables.Loaded loaded = CompiledRuleTables.load(spec("tunnel"), file);

        assertThat(loaded.note()).startsWith("compiled 5 rules (" + file + ": " + china + " changed); wrote and mapped");
        assertThat(loaded.table().lookup("www.qq.com").route()).isEqualTo("domestic");
        assertThat(loaded.table().lookup("www.baidu.com").matched()).isFalse();
        assertThat(CompiledRuleTables.load(spec("tunnel"), file).note()).isEqualTo("mapped " + file);
    }

    @Test
    void load_sameSizeEditWithTheSameTimestampIsStillNoticed() throws IOException {
        CompiledRuleTables.load(spec("tunnel"), file);
        var stamp = Files.getLastModifiedTime(china);
        Files.writeString(china, "server=/cn/114.114.114.114\nserver=/baidu.org/114.114.114.114\n");
        Files.setLastModifiedTime(china, stamp);

        CompiledRuleTables.Loaded loaded = CompiledRuleTables.load(spec("tunnel"), file);

        assertThat(loaded.note()).contains(china + " changed");
        assertThat(loaded.table().lookup("www.baidu.org").route()).isEqualTo("domestic");
    }

    @Test
    void load_changedRoutesAreNoticedAndRebuilt() {
        CompiledRuleTables.load(spec("tunnel"), file);

        CompiledRuleTables.Loaded loaded = CompiledRuleTables.load(spec("domestic"), file);

        assertThat(loaded.note()).contains(": the routes or their lists changed in the config)");
        assertThat(loaded.table().routes()).containsExactly("domestic", "tunnel");
    }

    @Test
    void load_corruptOrTruncatedFileIsRebuiltNeverUsed() throws IOException {
        CompiledRuleTables.load(spec("tunnel"), file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 40] ^= 0x10;
        Files.write(file, bytes);

        CompiledRuleTables.Loaded loaded = CompiledRuleTables.load(spec("tunnel"), file);

        assertThat(loaded.note()).contains(": corrupt: the rules' checksum does not match); wrote and mapped");
        assertThat(loaded.table().lookup("www.baidu.com").route()).isEqualTo("domestic");
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 100));
        assertThat(CompiledRuleTables.load(spec("tunnel"), file).note()).contains(": truncated: 100 bytes");
        assertThat(CompiledRuleTables.load(spec("tunnel"), file).note()).isEqualTo("mapped " + file);
    }

    @Test
    void load_missingListIsAFailureUntilItAppears() throws IOException {
        Files.delete(china);

        CompiledRuleTables.Loaded loaded = CompiledRuleTables.load(spec("tunnel"), file);

        assertThat(loaded.failures()).containsEntry("china", china + " does not exist");
        assertThat(loaded.table().lookup("www.google.com").route()).isEqualTo("tunnel");
        assertThat(CompiledRuleTables.load(spec("tunnel"), file).failures()).as("mapped, still reported")
                .containsEntry("china", china + " does not exist");
        Files.writeString(china, "server=/cn/114.114.114.114\n");
        CompiledRuleTables.Loaded after = CompiledRuleTables.load(spec("tunnel"), file);
        assertThat(after.note()).contains(china + " changed");
        assertThat(after.failures()).isEmpty();
        assertThat(after.table().lookup("a.cn").route()).isEqualTo("domestic");
    }

    @Test
    void load_v2flyIncludeChangeIsNoticed() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path main = Files.writeString(data.resolve("main"), "include:child\nexample.org\n");
        Path child = Files.writeString(data.resolve("child"), "example.net\n");
        RuleTableSpec spec = RuleTableSpec.builder().route("r").list("r", "v2").listFile("v2", main, ListFormatKind.V2FLY).build();
        CompiledRuleTables.load(spec, file);
        Files.writeString(child, "example.com\n");

        CompiledRuleTables.Loaded loaded = CompiledRuleTables.load(spec, file);

        assertThat(loaded.note()).contains(child + " changed");
        assertThat(loaded.table().lookup("www.example.com").route()).isEqualTo("r");
        assertThat(loaded.table().lookup("www.example.net").matched()).isFalse();
    }

    @Test
    void load_unwritablePlaceKeepsTheTableOnTheHeap() throws IOException {
        // a path under a regular file cannot be created, also by root (a read-only directory could be, by root)
        Path blocked = Files.writeString(dir.resolve("not-a-directory"), "x");

        CompiledRuleTables.Loaded loaded = CompiledRuleTables.load(spec("tunnel"), blocked.resolve("rules.bin"));

        assertThat(loaded.mapped()).isFalse();
        assertThat(loaded.note()).contains("cannot write it, the table stays on the heap");
        assertThat(loaded.table().lookup("www.google.com").route()).isEqualTo("tunnel");
    }

    @Test
    void load_bundledGfwlistIsFingerprintedToo() throws IOException {
        RuleTableSpec spec = RuleTableSpec.builder().route("tunnel").list("tunnel", "gfwlist")
                .listFile("gfwlist", Path.of("bundled:gfwlist"), null).build();

        CompiledRuleTables.load(spec, file);
        CompiledRuleTables.Loaded loaded = CompiledRuleTables.load(spec, file);

        assertThat(loaded.note()).isEqualTo("mapped " + file);
        assertThat(loaded.table().lookup("www.google.com").rule().origin().location())
                .startsWith("bundled:io/splitroute/lists/gfwlist.txt (base64), decoded line ");
        assertThat(RuleTableFile.open(file).key()).contains("bundled:gfwlist bundled size=98943 crc32=");
    }

    @Test
    void compile_withoutAFileGivesTheSameTable() {
        CompiledRuleTables.Loaded heap = CompiledRuleTables.compile(spec("tunnel"));
        CompiledRuleTables.Loaded mapped = CompiledRuleTables.load(spec("tunnel"), file);

        assertThat(heap.mapped()).isFalse();
        assertThat(heap.table().compiledForm().isNative()).isFalse();
        assertThat(heap.table().lookup("dl.google.com")).isEqualTo(mapped.table().lookup("dl.google.com"));
        assertThat(heap.table().lookup("dl.google.com").excluded()).isTrue();
    }

    @Test
    void besideTheLists_isInTheFirstListFilesDirectory() {
        assertThat(CompiledRuleTables.besideTheLists(spec("tunnel"))).contains(dir.resolve(CompiledRuleTables.FILE_NAME));
        RuleTableSpec bundledOnly = RuleTableSpec.builder().route("r").list("r", "g").listFile("g", Path.of("bundled:gfwlist"), null).build();
        assertThat(CompiledRuleTables.besideTheLists(bundledOnly)).isEmpty();
    }
}
