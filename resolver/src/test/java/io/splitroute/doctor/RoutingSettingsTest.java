package io.splitroute.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routing facts: the scripts' settings file, their defaults, and the flags over both. */
class RoutingSettingsTest {
    @TempDir
    Path dir;

    @Test
    void settingsFile_asTheShellAndSystemdReadIt() throws Exception {
        Path file = Files.writeString(dir.resolve("splitroute"), """
                # routing for splitroute
                WG_IF=wg1
                export MARK="0x100"
                TABLE='200'   
                CLEAN_DNS="8.8.8.8 8.8.4.4"
                """);

        RoutingSettings s = RoutingSettings.read(file, null, null, null);

        assertThat(s).isEqualTo(new RoutingSettings("wg1", 0x100, 200, file.toString()));
    }

    @Test
    void missingFile_givesTheScriptsDefaults() throws Exception {
        RoutingSettings s = RoutingSettings.read(dir.resolve("none"), null, null, null);

        assertThat(s.tunnel()).isEqualTo("wg0");
        assertThat(s.markHex()).isEqualTo("0xca6c");
        assertThat(s.table()).isEqualTo(51820);
        assertThat(s.source()).contains("does not exist");
    }

    @Test
    void flags_winOverTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("splitroute"), "WG_IF=wg1\nMARK=0x100\nTABLE=200\n");

        RoutingSettings s = RoutingSettings.read(file, "tun9", "0x2", "300");

        assertThat(s).isEqualTo(new RoutingSettings("tun9", 0x2, 300, "flags and " + file));
    }

    @Test
    void badMark_namesTheValueAndWhereItCameFrom() throws Exception {
        Path file = Files.writeString(dir.resolve("splitroute"), "MARK=cafe\n");

        assertThatThrownBy(() -> RoutingSettings.read(file, null, null, null))
                .hasMessage("MARK 'cafe' (from " + file + ") is not a number from 1 to 0xffffffff");
    }
}
