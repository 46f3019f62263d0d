package io.splitroute.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.it.Executables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manual page: every command with its options, valid troff that {@code man} formats without a warning. */
class ManPageTest {

    private static final LocalDate DATE = LocalDate.of(2026, 12, 3);

    private final String page = ManPage.render(Main.commandLine(80), DATE);

    @Test
    void render_hasTheSectionsManAndWhatisRead() {
        assertThat(page).startsWith(".TH SPLITROUTE 1 \"2026-12-03\" \"splitroute ");
        // apropos and lintian read the NAME line: "name \- summary".
        assertThat(page).contains(".SH NAME\nsplitroute \\- DNS forwarder for split\\-tunnel routers\n");
        assertThat(page).contains(".SH SYNOPSIS\n", ".SH DESCRIPTION\n", ".SH COMMANDS\n", ".SH FILES\n", ".SH SEE ALSO\n");
    }

    @Test
    void render_everyCommandAndSubcommandWithItsOptions() {
        for (String command : new String[] {"run", "check", "doctor", "lists", "lists update", "import-dnsmasq", "version"}) {
            assertThat(page).as(command).contains(".SS \"splitroute " + ManPage.escape(command) + "\"\n");
        }
        assertThat(page).contains("\\fB\\-c\\fR, \\fB\\-\\-config\\fR \\fIFILE\\fR\nThe YAML config");
        assertThat(page).contains("\\fB\\-\\-json\\fR\nOne JSON object per line, for scripts.");
    }

    @Test
    void escape_hyphensBackslashesAndControlCharacterAtLineStart() {
        assertThat(ManPage.escape("--config a\\b")).isEqualTo("\\-\\-config a\\eb");
        assertThat(ManPage.escape(".hidden")).isEqualTo("\\&.hidden");
        assertThat(ManPage.escape("'quoted'")).isEqualTo("\\&'quoted'");
    }

    /** What lintian runs on a page ({@code man --warnings}): any output is a warning it reports. */
    @Test
    void man_formatsThePageWithoutWarnings(@TempDir Path dir) throws Exception {
        assumeTrue(Executables.find("man").isPresent() && Executables.find("groff").isPresent(), "man and groff needed");
        Path file = Files.writeString(dir.resolve("splitroute.1"), page);

        Process man = new ProcessBuilder("man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String warnings = new String(man.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(man.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(warnings).isEmpty();
        assertThat(man.exitValue()).isZero();
    }
}
