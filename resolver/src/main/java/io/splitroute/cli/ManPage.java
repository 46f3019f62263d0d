package io.splitroute.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes the manual page {@code splitroute(1)} in troff from the command line's own model: every command with
 * its synopsis, description, options and parameters, as {@code --help} shows them. The Debian package's
 * build runs it ({@code java -cp splitroute.jar io.splitroute.cli.ManPage DATE > splitroute.1}), so the page
 * never drifts from the help.
 */
public final class ManPage {

    private ManPage() {}

    /**
     * Prints the page to standard output.
     *
     * @param args optionally the page's date, {@code YYYY-MM-DD} (default: today), for reproducible builds
     */
    public static void main(String[] args) {
        LocalDate date = args.length > 0 ? LocalDate.parse(args[0]) : LocalDate.now();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.print(render(Main.commandLine(), date));
        out.flush();
    }

    /** Returns the page for {@code cli} (the {@code splitroute} command and its subcommands), dated {@code date}. */
    static String render(CommandLine cli, LocalDate date) {
        CommandSpec spec = cli.getCommandSpec();
        String[] version = spec.version();
        StringBuilder page = new StringBuilder();
        page.append(".TH SPLITROUTE 1 \"").append(date).append("\" \"")
                .append(escape(version.length > 0 ? version[0] : "splitroute")).append("\" \"User Commands\"\n");
        page.append(".SH NAME\nsplitroute \\- DNS forwarder for split\\-tunnel routers\n");
        page.append(".SH SYNOPSIS\n");
        synopsis(page, spec);
        page.append(".SH DESCRIPTION\n");
        description(page, spec);
        page.append(".SH OPTIONS\n");
        options(page, spec);
        page.append(".SH COMMANDS\n");
        for (CommandLine sub : cli.getSubcommands().values()) {
            command(page, sub.getCommandSpec());
        }
        page.append(".SH FILES\n")
                .append(".TP\n").append(escape("/etc/splitroute/splitroute.yaml")).append('\n')
                .append("The configuration the service runs with.\n")
                .append(".TP\n").append(escape("/etc/splitroute/jvm.options")).append('\n')
                .append("The Java flags the launcher applies.\n")
                .append(".TP\n").append(escape("/var/lib/splitroute/")).append('\n')
                .append("The domain lists, kept up to date by the list timer, and the cache file.\n");
        page.append(".SH SEE ALSO\n")
                .append(".BR systemctl (1),\n.BR dig (1),\n.BR nft (8),\n.BR ipset (8)\n.PP\n")
                .append(escape("/usr/share/doc/splitroute/README.md: installation, configuration keys, metrics."))
                .append('\n');
        return page.toString();
    }

    /** One command and its subcommands, each under its own subsection (the built-in help command skipped). */
    private static void command(StringBuilder page, CommandSpec spec) {
        if (spec.userObject() instanceof CommandLine.HelpCommand) {
            page.append(".SS \"").append(escape(spec.qualifiedName())).append("\"\n")
                    .append("Shows the help of a command, as its \\fB\\-\\-help\\fR does.\n");
            return;
        }
        page.append(".SS \"").append(escape(spec.qualifiedName())).append("\"\n");
        synopsis(page, spec);
        page.append(".PP\n");
        description(page, spec);
        options(page, spec);
        for (CommandLine sub : spec.subcommands().values()) {
            command(page, sub.getCommandSpec());
        }
    }

    private static void synopsis(StringBuilder page, CommandSpec spec) {
        String synopsis = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
                .synopsis(0).strip().replaceAll("\\s+", " ");
        String name = spec.qualifiedName();
        String rest = synopsis.startsWith(name) ? synopsis.substring(name.length()).strip() : synopsis;
        page.append(".B ").append(escape(name)).append('\n');
        if (!rest.isEmpty()) {
            page.append(escape(rest)).append('\n');
        }
    }

    /** The description's lines as paragraphs; a line aligned by runs of spaces is kept as set. */
    private static void description(StringBuilder page, CommandSpec spec) {
        boolean aligned = false;
        for (String line : spec.usageMessage().description()) {
            if (line.isBlank()) {
                aligned = false;
            } else if (line.contains("  ")) {
                page.append(aligned ? "" : ".PP\n").append(".nf\n").append(escape(line)).append("\n.fi\n");
                aligned = true;
            } else {
                page.append(".PP\n").append(escape(line)).append('\n');
                aligned = false;
            }
        }
    }

    private static void options(StringBuilder page, CommandSpec spec) {
        List<PositionalParamSpec> parameters = spec.positionalParameters();
        for (PositionalParamSpec parameter : parameters) {
            page.append(".TP\n\\fI").append(escape(parameter.paramLabel())).append("\\fR\n")
                    .append(escape(String.join(" ", parameter.description()))).append('\n');
        }
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            page.append(".TP\n");
            List<String> names = List.of(option.names());
            for (int i = 0; i < names.size(); i++) {
                page.append(i == 0 ? "" : ", ").append("\\fB").append(escape(names.get(i))).append("\\fR");
            }
            if (option.arity().max() > 0) {
                page.append(" \\fI").append(escape(option.paramLabel())).append("\\fR");
            }
            page.append('\n').append(escape(String.join(" ", option.description()))).append('\n');
        }
    }

    /** Escapes text for troff: backslashes, hyphens as minus signs, and a control character at line start. */
    static String escape(String text) {
        String escaped = text.replace('\n', ' ').replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
