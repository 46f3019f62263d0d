package io.splitroute.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Fuzz target for the YAML config loader: any text either loads or is reported as a
 * {@link ConfigException} (file:line: key: message); any other exception or error is a finding.
 *
 * <p>The seed corpus ({@code ConfigLoaderFuzzTestInputs/configs/}) holds the documented example config,
 * the embedded default and small configs with typical mistakes. To fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl resolver -am test -Dtest=ConfigLoaderFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConfigLoaderFuzzTest {
    private static final Path BASE_DIR = Path.of("/nonexistent/splitroute-fuzz");

    @FuzzTest(maxDuration = "10m")
    void configs(byte[] input) {
        try {
            ConfigLoader.parse(new String(input, StandardCharsets.UTF_8), "fuzz.yaml", BASE_DIR);
        } catch (ConfigException expected) {
            // a reported problem: what bad input must become
        }
    }
}
