package io.splitroute.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code splitroute-VERSION.tar.gz}: what a user unpacks on a system without the package. */
class TarballIT {
    private static final Path TARBALL = Launch.DIST.resolveSibling("splitroute-" + Launch.VERSION + ".tar.gz");

    @Test
    void holdsLauncherJarConfigListsAndReadme_underOneVersionedDirectory() throws Exception {
        Process tar = new ProcessBuilder("tar", "tzvf", TARBALL.toString()).redirectErrorStream(true).start();
        List<String> entries = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(tar.waitFor()).as(String.join("\n", entries)).isZero();

        String top = "splitroute-" + Launch.VERSION + "/";
        assertThat(entries).allSatisfy(line -> assertThat(line).contains(" " + top));
        assertThat(entries).anySatisfy(line -> assertThat(line).startsWith("-rwxr-xr-x").endsWith(" " + top + "bin/splitroute"));
        assertThat(entries).anySatisfy(line -> assertThat(line).startsWith("-rwxr-xr-x")
                .endsWith(" " + top + "config/routing/splitroute-route-nft.sh"));
        for (String file : List.of("lib/splitroute.jar", "README.md", "config/jvm.options", "config/splitroute.yaml",
                "config/systemd/splitroute.service", "config/systemd/splitroute-lists.service",
                "config/systemd/splitroute-lists.timer", "config/cron/splitroute-lists",
                "config/grafana/splitroute.json", "lists/gfwlist.txt")) {
            assertThat(entries).as(file).anySatisfy(line -> assertThat(line).endsWith(" " + top + file));
        }
    }

    @Test
    void unpackedCopy_matchesTheSources() throws Exception {
        Path repo = Path.of("..");
        assertThat(Launch.DIST.resolve("config/jvm.options")).hasSameBinaryContentAs(repo.resolve("config/jvm.options"));
        assertThat(Launch.DIST.resolve("bin/splitroute")).hasSameBinaryContentAs(Path.of("src/main/bin/splitroute"));
        assertThat(Files.isExecutable(Launch.DIST.resolve("bin/splitroute"))).isTrue();
    }
}
