package io.splitroute.lists.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download several times larger than the heap is streamed to disk and validated from there: it is
 * accepted within {@code max-bytes} and rejected over it, in a JVM started with {@code -Xmx32m} that exits
 * on the first OutOfMemoryError.
 */
class StreamedDownloadHeapTest {
    private static final int BODY_MIB = 96;

    @Test
    void update_bodyThreeTimesTheHeap_streamedAndJudgedWithoutRunningOutOfMemory(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx32m", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), StreamedDownloadChild.class.getName(), dir.toString(),
                Integer.toString(BODY_MIB))
                .redirectErrorStream(true).start();
        boolean ended = child.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly();
        }
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as(output).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        List<String> lines = output.lines().toList();
        assertThat(lines).as(output).contains(
                "big: 500 rules (+500 -1) updated",
                "capped: rejected: larger than max-bytes (" + ((long) BODY_MIB << 20) / 4 + " bytes): the download went on past it");
        assertThat(lines).as("the accepted list, about %d MiB, is in service", BODY_MIB)
                .anyMatch(l -> l.startsWith("size of the list in service: ") && Long.parseLong(l.substring(29)) > (BODY_MIB - 1L) << 20);
        assertThat(lines).anyMatch(l -> l.startsWith("max heap: ") && Long.parseLong(l.substring(10)) < 40L << 20);
    }
}
