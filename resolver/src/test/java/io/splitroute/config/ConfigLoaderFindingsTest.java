package io.splitroute.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What fuzzing {@link ConfigLoaderFuzzTest} found, one test each; the crash inputs are in its corpus. */
class ConfigLoaderFindingsTest {

    /**
     * An ipset name over 31 bytes is reported as a problem of {@code sets.NAME.name} with its line, not an
     * IllegalArgumentException escaping {@code parse} (found after about 24 000 runs; corpus file
     * {@code configs/crash-8fbdda7a81e37fd818d48642857933ed939e95b1}).
     */
    @Test
    void ipsetNameOver31Bytes_reportedAsConfigProblem() {
        String config = """
                upstreams: { isp: ["udp://192.0.2.1:53"] }
                sets: { s4: { type: ipset, name: a-set-name-longer-than-31-bytes-by-far, family: inet } }
                """;

        assertThatThrownBy(() -> ConfigLoader.parse(config, "splitroute.yaml", Path.of(".")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sets.s4.name")
                .hasMessageContaining("1 to 31 bytes");
    }

    /** An nftset whose table has an empty name part cannot be written; reported, not thrown. */
    @Test
    void nftsetWithAnEmptySetName_reportedAsConfigProblem() {
        String config = """
                upstreams: { isp: ["udp://192.0.2.1:53"] }
                sets: { s4: { type: nftset, name: "", table: "inet fw4", family: inet } }
                """;

        assertThatThrownBy(() -> ConfigLoader.parse(config, "splitroute.yaml", Path.of(".")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sets.s4");
    }

    /**
     * A duration with more digits than a long holds (or more days than a Duration holds) is reported as a
     * problem of its key with its line, not a NumberFormatException escaping {@code parse} (found after about
     * 5 minutes of fuzzing; corpus file {@code configs/crash-264de8508aec8b77c573d3b3b057425e82d0189d}).
     */
    @Test
    void durationTooLong_reportedAsConfigProblem() {
        for (String duration : new String[] {"10888888888888888888888888888s", "9223372036854775807d"}) {
            String config = """
                    upstreams: { isp: ["udp://192.0.2.1:53"] }
                    tcp: { idle-timeout: %s }
                    """.formatted(duration);

            assertThatThrownBy(() -> ConfigLoader.parse(config, "splitroute.yaml", Path.of(".")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("tcp.idle-timeout")
                    .hasMessageContaining("too long");
        }
    }
}
