package io.splitroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.CliRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Help text breaks lines at spaces only: addresses, paths and URLs stay whole at every width. */
class HelpLayoutTest {

    /** Every command's usage, at {@code width}. */
    private static List<String> usages(int width) {
        List<String> usages = new ArrayList<>();
        collect(Main.commandLine(width), usages);
        return usages;
    }

    private static void collect(CommandLine cli, List<String> usages) {
        usages.add(cli.getUsageMessage(CommandLine.Help.Ansi.OFF));
        cli.getSubcommands().values().forEach(sub -> collect(sub, usages));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    @Test
    void help_atEveryWidth_hasTheSameWordsAsUnwrapped() {
        List<String> unwrapped = usages(1000);
        for (int width = 55; width <= 100; width++) {
            List<String> wrapped = usages(width);
            for (int i = 0; i < unwrapped.size(); i++) {
                assertThat(words(wrapped.get(i))).as("width %d:%n%s", width, wrapped.get(i))
                        .isEqualTo(words(unwrapped.get(i)));
            }
        }
    }

    @Test
    void help_linesFitTheWidthUnlessOneWordIsLonger() {
        for (int width : new int[] {55, 64, 80}) {
            for (String usage : usages(width)) {
                for (String line : usage.split("\n")) {
                    if (line.length() > width) {
                        assertThat(line.strip()).as("line over %d columns:%n%s", width, usage).doesNotContain(" ");
                    }
                }
            }
        }
    }

    @Test
    void mainHelp_keepsTheDefaultAddressWhole() {
        for (int width = 55; width <= 100; width++) {
            assertThat(Main.commandLine(width).getUsageMessage(CommandLine.Help.Ansi.OFF)).contains("127.0.0.1:5300");
        }
    }

    @Test
    void optionTable_continuesUnderTheDescription() {
        String wrapped = HelpLayout.wrap("  -c, --config=FILE   The YAML config file (example: config/splitroute.yaml in the "
                + "source tree).", 60);

        assertThat(wrapped).isEqualTo("  -c, --config=FILE   The YAML config file (example:\n"
                + "                        config/splitroute.yaml in the source\n"
                + "                        tree).");
    }

    @Test
    void synopsis_continuesUnderTheFirstOption() {
        String usage = Main.commandLine(55).getSubcommands().get("lists").getSubcommands().get("update")
                .getUsageMessage(CommandLine.Help.Ansi.OFF);

        String under = " ".repeat("Usage: splitroute lists update ".length());
        assertThat(usage).startsWith("Usage: splitroute lists update [-hV] [--no-reload]\n"
                + under + "[-c=FILE]\n" + under + "[--pid-file=FILE]\n");
    }

    @Test
    void versionHelp_isAccepted() {
        CliRun r = CliRun.of("version", "--help");

        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Usage: splitroute version");
    }
}
