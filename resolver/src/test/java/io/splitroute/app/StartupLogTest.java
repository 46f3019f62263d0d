package io.splitroute.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.config.ConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What start-up warns about in a config that is valid but unsafe. */
class StartupLogTest {
    @TempDir
    Path dir;

    @Test
    void insecureLists_plainHttpUrlsWarnedHttpsAndLocalFilesNot() throws Exception {
        var config = ConfigLoader.parse("""
                upstreams: { isp: ["udp://127.0.0.1:53"] }
                lists:
                  gfw: { file: gfw.txt, url: "HTTP://lists.example/gfw.txt", refresh: 6h }
                  china: { file: china.conf, url: "https://lists.example/china.conf" }
                  mine: { file: mine.txt }
                routes: [{ name: tunnel, lists: [gfw, china, mine], upstream: isp }]
                """, "t.yaml", dir);

        assertThat(StartupLog.insecureLists(config)).containsExactly("list gfw is downloaded over plain http:// "
                + "(HTTP://lists.example/gfw.txt): anyone on the path can change it, and with it what goes through "
                + "the tunnel; use https://");
    }
}
