package io.splitroute.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query log's file: capped in size, rotated keeping N copies, reopened by name after logrotate moved it. */
class QueryLogFileTest {
    @TempDir
    Path dir;

    /** Lines of 19 bytes with the newline: {@code line-0000000000000}, numbered. */
    private static String line(int n) {
        return "line-%013d".formatted(n);
    }

    private List<String> lines(String name) throws Exception {
        Path file = dir.resolve(name);
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void rotate_atTheCapKeepingTheNewestCopies() throws Exception {
        Path file = dir.resolve("q.jsonl");
        try (QueryLogFile log = QueryLogFile.open(file, 100, 2)) {
            for (int i = 0; i < 23; i++) { // 5 lines a file: 0-4, 5-9, 10-14, 15-19, 20-22
                log.write(line(i));
            }
        }

        assertThat(lines("q.jsonl")).containsExactly(line(20), line(21), line(22));
        assertThat(lines("q.jsonl.1")).containsExactly(line(15), line(16), line(17), line(18), line(19));
        assertThat(lines("q.jsonl.2")).containsExactly(line(10), line(11), line(12), line(13), line(14));
        assertThat(dir.resolve("q.jsonl.3")).doesNotExist();
        for (String name : List.of("q.jsonl", "q.jsonl.1", "q.jsonl.2")) {
            assertThat(Files.size(dir.resolve(name))).as(name).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void rotate_appendsToAnExistingFileAndCountsWhatItHeld() throws Exception {
        Path file = dir.resolve("q.jsonl");
        Files.writeString(file, line(0) + "\n" + line(1) + "\n" + line(2) + "\n" + line(3) + "\n");
        try (QueryLogFile log = QueryLogFile.open(file, 100, 1)) {
            log.write(line(4));
            log.write(line(5));
        }

        assertThat(lines("q.jsonl.1")).containsExactly(line(0), line(1), line(2), line(3), line(4));
        assertThat(lines("q.jsonl")).containsExactly(line(5));
    }

    @Test
    void rotate_keepZeroStartsOverWithoutCopies() throws Exception {
        Path file = dir.resolve("q.jsonl");
        try (QueryLogFile log = QueryLogFile.open(file, 100, 0)) {
            for (int i = 0; i < 7; i++) {
                log.write(line(i));
            }
        }

        assertThat(lines("q.jsonl")).containsExactly(line(5), line(6));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("q.jsonl");
        }
    }

    @Test
    void reopen_afterTheFileWasMovedAwayWritesANewFileByName() throws Exception {
        Path file = dir.resolve("q.jsonl");
        List<String> moved = new ArrayList<>();
        try (QueryLogFile log = QueryLogFile.open(file, 1 << 20, 5)) {
            log.write(line(0));
            log.flush();
            Files.move(file, dir.resolve("q.jsonl-20260101")); // what logrotate does before it signals
            log.write(line(1)); // still the old file, as until the signal
            log.reopen();
            log.write(line(2));
        }
        moved.addAll(lines("q.jsonl-20260101"));

        assertThat(moved).containsExactly(line(0), line(1));
        assertThat(lines("q.jsonl")).containsExactly(line(2));
    }
}
