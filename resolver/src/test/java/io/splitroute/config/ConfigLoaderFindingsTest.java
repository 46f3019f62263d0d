package io.splitroute.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * What fuzzing {@link ConfigLoaderFuzzTest} found, one test each, disabled until the loader is fixed (then
 * enable the test and drop the matching tolerance in the fuzz target).
 */
class ConfigLoaderFindingsTest {

    /**
     * An ipset name over 31 bytes is not reported as a config problem: the IllegalArgumentException of
     * {@code IpsetTarget} escapes {@code parse} (found after about 24 000 runs; corpus file
     * {@code configs/crash-8fbdda7a81e37fd818d48642857933ed939e95b1}).
     */
    @Test
    @Disabled("fuzz finding in ConfigLoader: the set target is built outside the problem-collecting try")
    void ipsetNameOver31Bytes_reportedAsConfigProblem() {
        String config = """
                upstreams: { isp: ["udp://192.0.2.1:53"] }
                sets: { s4: { type: ipset, name: a-set-name-longer-than-31-bytes-by-far, family: inet } }
                """;

        assertThatThrownBy(() -> ConfigLoader.parse(config, "splitroute.yaml", Path.of(".")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sets.s4");
    }
}
