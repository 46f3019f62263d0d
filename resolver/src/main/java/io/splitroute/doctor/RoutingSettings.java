package io.splitroute.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routing facts {@code doctor} checks against, as the routing scripts see them: the tunnel interface
 * ({@code WG_IF}), the mark bits ({@code MARK}) and the route table ({@code TABLE}), read from the scripts'
 * settings file ({@code /etc/default/splitroute}: {@code NAME=value} lines), with the scripts' defaults for
 * what it does not set, and flags given to {@code doctor} over both.
 *
 * @param tunnel the tunnel interface
 * @param mark   the mark bits of packets to the sets
 * @param table  the route table of marked packets
 * @param source where the values came from, for the report ({@code /etc/default/splitroute}, {@code defaults})
 */
public record RoutingSettings(String tunnel, long mark, long table, String source) {
    /** The settings file of the routing unit and of the routing scripts under systemd. */
    public static final Path DEFAULT_FILE = Path.of("/etc/default/splitroute");
    /** The routing scripts' defaults. */
    static final String DEFAULT_TUNNEL = "wg0";
    static final String DEFAULT_MARK = "0xca6c";
    static final String DEFAULT_TABLE = "51820";

    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$");

    /** Returns the mark as the scripts write it, {@code 0xca6c}. */
    public String markHex() {
        return "0x" + Long.toHexString(mark);
    }

    /**
     * Reads the settings.
     *
     * @param file   the settings file; a missing one leaves the defaults
     * @param tunnel {@code --tunnel}, or {@code null}
     * @param mark   {@code --mark}, or {@code null}
     * @param table  {@code --table}, or {@code null}
     * @throws IOException if the file exists but cannot be read
     * @throws IllegalArgumentException if a mark or table is not a number, naming where it came from
     */
    public static RoutingSettings read(Path file, String tunnel, String mark, String table) throws IOException {
        Map<String, String> values = new HashMap<>();
        String source;
        try {
            values.putAll(parse(Files.readString(file, StandardCharsets.UTF_8)));
            source = file.toString();
        } catch (NoSuchFileException e) {
            source = "the routing scripts' defaults (" + file + " does not exist)";
        }
        boolean flags = tunnel != null || mark != null || table != null;
        String from = flags ? "flags and " + source : source;
        return new RoutingSettings(
                tunnel != null ? tunnel : values.getOrDefault("WG_IF", DEFAULT_TUNNEL),
                number("MARK", mark != null ? mark : values.getOrDefault("MARK", DEFAULT_MARK), from),
                number("TABLE", table != null ? table : values.getOrDefault("TABLE", DEFAULT_TABLE), from),
                from);
    }

    /** Parses {@code NAME=value} lines as the shell and systemd's EnvironmentFile= read them (quotes removed). */
    static Map<String, String> parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = ASSIGNMENT.matcher(line);
            if (!line.stripLeading().startsWith("#") && m.matches()) {
                values.put(m.group(1), unquote(m.group(2).strip()));
            }
        }
        return values;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        int comment = value.indexOf(" #");
        return comment < 0 ? value : value.substring(0, comment).strip();
    }

    private static long number(String name, String value, String source) {
        try {
            long n = value.startsWith("0x") || value.startsWith("0X") ? Long.parseLong(value.substring(2), 16)
                    : Long.parseLong(value);
            if (n <= 0 || n > 0xffffffffL) {
                throw new NumberFormatException("out of range");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + value + "' (from " + source + ") is not a number from 1 to 0xffffffff");
        }
    }
}
