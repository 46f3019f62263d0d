package io.splitroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code run}'s own argument reading (the start-up path without picocli) and what it leaves to picocli. */
class RunCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "run|-|false",
        "run --dry-run|-|false",
        "run --config /etc/splitroute/splitroute.yaml|/etc/splitroute/splitroute.yaml|false",
        "run -c a.yaml --dry-run|a.yaml|true",
        "run --dry-run --config=a.yaml|a.yaml|true",
    })
    void fromArguments_readsWhatPicocliWould(String line, String config, boolean dryRunWithConfig) {
        RunCommand run = RunCommand.fromArguments(line.split(" "));

        assertThat(run).isNotNull();
        assertThat(run.config).isEqualTo(config == null ? null : Path.of(config));
        assertThat(run.dryRun).isEqualTo(line.contains("--dry-run"));
        assertThat(config != null && run.dryRun).isEqualTo(dryRunWithConfig);
    }

    @ParameterizedTest
    @ValueSource(strings = {"run -h", "run --help", "run --config", "run --config -h", "run --dry-run --dry-run",
        "run -c a.yaml -c b.yaml", "run extra", "run --version", "check www.google.com", "version", "runx"})
    void fromArguments_leavesEverythingElseToPicocli(String line) {
        assertThat(RunCommand.fromArguments(line.split(" "))).isNull();
    }
}
