package io.splitroute.cli;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Lays out the help text of every command so that lines break at spaces only. Picocli breaks where the JDK's
 * line breaker allows, which includes the inside of addresses, paths and URLs ({@code 127.0.0.1:} | {@code
 * 5300}): a user copying them from the help would get half of one. Picocli here renders each section on
 * one long line, and this class wraps it at {@code width}, continuing a table row under its text column.
 */
final class HelpLayout {
    /** The width picocli renders at: wide enough that it never wraps a line itself. */
    private static final int UNWRAPPED = 1000;
    /** Picocli's smallest width; narrower terminals get this. */
    private static final int MIN_WIDTH = 55;
    private static final int DEFAULT_WIDTH = 80;
    /** A row of a table (options, commands): indented name, a gap of two or more spaces, then its text. */
    private static final Pattern TABLE_ROW = Pattern.compile("^\\s+\\S.*?\\s{2,}(?=\\S)");
    /** A labelled paragraph line such as {@code Start with:  splitroute run}: continued under the text. */
    private static final Pattern LABELLED = Pattern.compile("^\\S[^ ]*(?: [^ ]+)?:\\s{2,}(?=\\S)");

    private HelpLayout() {}

    /** Returns the terminal width from {@code COLUMNS}, or 80; never under picocli's minimum of 55. */
    static int terminalWidth() {
        String columns = System.getenv("COLUMNS");
        try {
            return columns == null ? DEFAULT_WIDTH : Math.max(MIN_WIDTH, Integer.parseInt(columns.strip()));
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    /** Makes {@code cli} and its subcommands print help wrapped at spaces to {@code width} columns. */
    static void install(CommandLine cli, int width) {
        cli.setUsageHelpAutoWidth(false);
        cli.setUsageHelpWidth(UNWRAPPED);
        install(cli, Math.max(MIN_WIDTH, width), Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void install(CommandLine cli, int width, Set<CommandLine> done) {
        if (!done.add(cli)) {
            return;
        }
        Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>(cli.getHelpSectionMap());
        IHelpSectionRenderer heading = sections.get(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING);
        sections.replaceAll((key, renderer) -> help -> wrap(renderer.render(help), width));
        if (heading != null) {
            // "Usage: " and the synopsis are two sections, wrapped as the one line they make.
            IHelpSectionRenderer synopsis = cli.getHelpSectionMap().get(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS);
            sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING, help -> "");
            sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS,
                    help -> wrap(heading.render(help) + synopsis.render(help), width));
        }
        cli.setHelpSectionMap(sections);
        cli.getSubcommands().values().forEach(sub -> install(sub, width, done));
    }

    /** Wraps every line of {@code text} longer than {@code width} at spaces; a word longer than a line stays whole. */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            // The last piece has no newline after it: a heading the next section continues ("Usage: ").
            wrapLine(out, i < lines.length - 1 ? lines[i].stripTrailing() : lines[i], width);
        }
        return out.toString();
    }

    private static void wrapLine(StringBuilder out, String line, int width) {
        int indent = continuationIndent(line, width);
        String rest = line;
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            while (cut > 0 && rest.charAt(cut - 1) == ' ') {
                cut--;
            }
            if (cut <= indent) { // no space to break at before the width: break after the long word
                cut = rest.indexOf(' ', width);
                if (cut < 0) {
                    break;
                }
            }
            out.append(rest, 0, cut).append('\n');
            rest = " ".repeat(indent) + rest.substring(cut).stripLeading();
        }
        out.append(rest);
    }

    private static int continuationIndent(String line, int width) {
        int indent = 0;
        if (line.startsWith("Usage: ")) {
            int options = line.indexOf(" [");
            indent = options > 0 ? options + 1 : "Usage: ".length();
        } else {
            Matcher row = TABLE_ROW.matcher(line);
            Matcher labelled = LABELLED.matcher(line);
            if (row.find()) {
                indent = row.end() + 2;
            } else if (labelled.find()) {
                indent = labelled.end();
            } else if (!line.isEmpty() && line.charAt(0) == ' ') {
                indent = line.length() - line.stripLeading().length() + 2;
            }
        }
        return indent <= width * 2 / 3 ? indent : 4;
    }
}
