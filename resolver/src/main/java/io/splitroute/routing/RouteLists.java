package io.splitroute.routing;

import io.splitroute.config.SplitrouteConfig;
import io.splitroute.config.ListConfig;
import io.splitroute.lists.BundledLists;
import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.format.ListLoader;
import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.update.ListSource;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The domain lists a config names, read from their files (or from the jar for {@code bundled:gfwlist}).
 * A list that cannot be read is reported, not fatal: its routes go on with their other rules.
 *
 * @param lists    the lists that were read, by name, in config order
 * @param failures one line per list that could not be read
 */
public record RouteLists(Map<String, ParsedList> lists, List<String> failures) {
    /** The {@code file:} value that names the gfwlist snapshot inside the jar. */
    public static final String BUNDLED_GFWLIST = "bundled:gfwlist";

    /** Reads every list of {@code config}. */
    public static RouteLists load(SplitrouteConfig config) {
        Map<String, ParsedList> lists = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (ListConfig list : config.lists().values()) {
            try {
                lists.put(list.name(), read(list));
            } catch (NoSuchFileException e) {
                failures.add(list.name() + ": " + list.file() + " does not exist"
                        + (list.url() != null ? " (run: splitroute lists update)" : ""));
            } catch (IOException | RuntimeException e) {
                failures.add(list.name() + ": cannot read " + list.file() + ": " + e.getMessage());
            }
        }
        return new RouteLists(Map.copyOf(lists), List.copyOf(failures));
    }

    private static ParsedList read(ListConfig list) throws IOException {
        ListFormatKind format = list.format() == null ? null : ListFormatKind.fromName(list.format());
        if (list.file().toString().equals(BUNDLED_GFWLIST)) {
            return BundledLists.gfwlist();
        }
        return ListLoader.load(list.name(), list.file(), format);
    }

    /**
     * Returns the lists of {@code config} that have a {@code url}, in config order, as the updater takes them.
     * {@code lists update} and the running server's refresher both use this, so both judge downloads alike.
     *
     * @throws IllegalArgumentException if a url is not a valid URI
     */
    public static List<ListSource> sources(SplitrouteConfig config) {
        return config.lists().values().stream()
                .filter(list -> list.url() != null)
                .sorted(java.util.Comparator.comparingInt(ListConfig::line))
                .map(list -> new ListSource(list.name(), list.file(), java.net.URI.create(list.url()),
                        list.format() == null ? null : ListFormatKind.fromName(list.format()),
                        list.refresh(), list.minRules(), list.maxShrink(), list.maxBytes()))
                .toList();
    }

    /** Returns the rules of every list that was read, by list name. */
    public Map<String, List<Rule>> rules() {
        Map<String, List<Rule>> rules = new LinkedHashMap<>();
        lists.forEach((name, parsed) -> rules.put(name, parsed.rules()));
        return rules;
    }
}
