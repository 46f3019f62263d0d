package io.splitroute.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.it.ChildProcess;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar started as {@code nohup} starts it, with SIGHUP ignored: {@code kill -HUP} still reloads it
 * (the JVM alone would leave the ignored signal ignored, and the reload would silently not happen).
 */
class HangupSignalIT {
    private static final Path JAR = Path.of("target/splitroute.jar");

    @TempDir
    Path dir;

    @Test
    void startedWithSighupIgnored_killHupStillReloads() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().unknownWildcard(300)) {
            int port = RunningResolver.freePort();
            Path config = Files.writeString(dir.resolve("splitroute.yaml"), """
                    listen: ["127.0.0.1:%d"]
                    upstreams: { isp: ["%s"] }
                    admin: off
                    """.formatted(port, upstream.udpUri()));
            Path out = dir.resolve("out.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // trap "" HUP: the disposition nohup gives, inherited through exec by the JVM.
            try (ChildProcess p = ChildProcess.start("splitroute", List.of("bash", "-c", "trap '' HUP; exec \"$@\"",
                    "bash", java, "-jar", JAR.toString(), "run", "--config", config.toString()), out)) {
                awaitLog(out, "SIGHUP was ignored in this process", p);
                new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
                awaitLog(out, "reloaded " + config, p);
                assertThat(p.isAlive()).as(p.describe()).isTrue();
            }
        }
    }

    private static void awaitLog(Path log, String text, ChildProcess p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive() && !Files.readString(log).contains(text)) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(log)).as("server output").contains(text);
    }
}
