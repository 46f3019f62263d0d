package io.splitroute.lists.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic replacement: new content in place, the old kept as .prev, permissions kept, no temporary left. */
class ListFilesTest {
    @TempDir
    Path dir;

    @Test
    void replaceKeepingPrevious_keepsOldCopyAndPermissions() throws Exception {
        Path file = dir.resolve("list.txt");
        Files.writeString(file, "old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        ListFiles.replaceKeepingPrevious(file, "new\n".getBytes(StandardCharsets.UTF_8));
        ListFiles.replaceKeepingPrevious(file, "newer\n".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("newer");
        assertThat(ListFiles.previous(file)).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("list.txt", "list.txt.prev");
        }
    }

    @Test
    void replace_createsMissingFileReadableByAll() throws Exception {
        Path file = dir.resolve("sub").resolve("list.txt");

        ListFiles.replace(file, "a.example\n".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("a.example");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    }
}
