package io.splitroute.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One shipped systemd unit ({@code config/systemd/NAME}), read for what its lines say and for the routing
 * script commands its {@code Exec*} lines run. The lab runs those commands where systemd would (at start,
 * after the process stopped or crashed), so its checks test the shipped units' wiring, whichever routing
 * script the unit names (the lab's flavour decides which one runs).
 */
final class ServiceUnit {

    private static final Pattern ROUTING_SCRIPT = Pattern.compile(".*/splitroute-route-(iptables|nft)\\.sh");

    private final String name;
    private final List<String[]> settings;

    private ServiceUnit(String name, List<String[]> settings) {
        this.name = name;
        this.settings = settings;
    }

    /** Reads {@code config/systemd/NAME}. */
    static ServiceUnit load(String name) {
        try {
            List<String[]> settings = new ArrayList<>();
            String pending = "";
            for (String line : Files.readAllLines(RepoFile.find("config/systemd/" + name))) {
                String joined = pending + line.strip();
                if (joined.endsWith("\\")) {
                    pending = joined.substring(0, joined.length() - 1) + " ";
                    continue;
                }
                pending = "";
                int eq = joined.indexOf('=');
                if (!joined.startsWith("#") && !joined.startsWith("[") && eq > 0) {
                    settings.add(new String[] {joined.substring(0, eq).strip(), joined.substring(eq + 1).strip()});
                }
            }
            return new ServiceUnit(name, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the values of {@code key}, in file order. */
    List<String> values(String key) {
        return settings.stream().filter(s -> s[0].equals(key)).map(s -> s[1]).toList();
    }

    /**
     * Returns the arguments of each routing-script command among {@code key}'s commands (e.g. {@code up} for
     * {@code ExecStart=/usr/lib/splitroute/splitroute-route-iptables.sh up}), in order.
     */
    List<String> routingCommands(String key) {
        List<String> commands = new ArrayList<>();
        for (String value : values(key)) {
            // systemd's prefixes: + (full privileges), - (failure ignored), @ : ! !!
            String[] words = value.replaceFirst("^[-+@:!]+", "").split("\\s+");
            if (ROUTING_SCRIPT.matcher(words[0]).matches()) {
                commands.add(String.join(" ", Arrays.copyOfRange(words, 1, words.length)));
            }
        }
        return commands;
    }

    @Override
    public String toString() {
        return name;
    }
}
