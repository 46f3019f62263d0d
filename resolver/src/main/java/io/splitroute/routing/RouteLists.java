package io.splitroute.routing;

import io.splitroute.config.IpListConfig;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.config.ListConfig;
import io.splitroute.lists.BundledLists;
import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.format.ParsedIpList;
import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.update.ListSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lists a config names, read from their files (or from the jar for {@code bundled:gfwlist} and
 * {@code bundled:chnroute}): the domain lists routes match names with, and the IP lists ({@code ip-lists:})
 * answers are judged by. A list that cannot be read is reported, not fatal: its routes go on with their other
 * rules, and an IP list that is missing holds no address.
 *
 * @param lists    the domain lists that were read, by name, in config order
 * @param ipLists  the IP lists that were read, by name, in config order
 * @param failures one line per list that could not be read
 */
public record RouteLists(Map<String, ParsedList> lists, Map<String, ParsedIpList> ipLists, List<String> failures) {
    /** The {@code file:} value that names the gfwlist snapshot inside the jar. */
    public static final String BUNDLED_GFWLIST = "bundled:gfwlist";

    /** Copies the arguments. */
    public RouteLists {
        lists = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lists));
        ipLists = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ipLists));
        failures = List.copyOf(failures);
    }

    /** Domain lists only. */
    public RouteLists(Map<String, ParsedList> lists, List<String> failures) {
        this(lists, Map.of(), failures);
    }

    /** Reads every list of {@code config}, domain lists and IP lists. */
    public static RouteLists load(SplitrouteConfig config) {
        Map<String, ParsedList> lists = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (ListConfig list : byLine(config.lists().values(), ListConfig::line)) {
            try {
                lists.put(list.name(), read(list));
            } catch (IOException | RuntimeException e) {
                failures.add(failure(list.name(), list.file(), list.url(), e));
            }
        }
        Map<String, ParsedIpList> ipLists = new LinkedHashMap<>();
        for (IpListConfig list : byLine(config.ipLists().values(), IpListConfig::line)) {
            try {
                ipLists.put(list.name(), BundledLists.readIpList(list.name(), list.file()));
            } catch (IOException | RuntimeException e) {
                failures.add(failure(list.name(), list.file(), list.url(), e));
            }
        }
        return new RouteLists(lists, ipLists, failures);
    }

    private static String failure(String name, Path file, String url, Exception e) {
        if (e instanceof NoSuchFileException) {
            return name + ": " + file + " does not exist" + (url != null ? " (run: splitroute lists update)" : "");
        }
        return name + ": cannot read " + file + ": " + e.getMessage();
    }

    private static <T> List<T> byLine(java.util.Collection<T> lists, java.util.function.ToIntFunction<T> line) {
        return lists.stream().sorted(Comparator.comparingInt(line)).toList();
    }

    private static ParsedList read(ListConfig list) throws IOException {
        ListFormatKind format = list.format() == null ? null : ListFormatKind.fromName(list.format());
        return BundledLists.readList(list.name(), list.file(), format);
    }

    /**
     * Returns the lists of {@code config} that have a {@code url}, domain lists then IP lists, each in config
     * order, as the updater takes them. {@code lists update} and the running server's refresher both use this,
     * so both judge downloads alike.
     *
     * @throws IllegalArgumentException if a url is not a valid URI
     */
    public static List<ListSource> sources(SplitrouteConfig config) {
        List<ListSource> sources = new ArrayList<>();
        for (ListConfig list : byLine(config.lists().values(), ListConfig::line)) {
            if (list.url() != null) {
                sources.add(new ListSource(list.name(), list.file(), URI.create(list.url()),
                        list.format() == null ? null : ListFormatKind.fromName(list.format()),
                        list.refresh(), list.minRules(), list.maxShrink(), list.maxBytes()));
            }
        }
        for (IpListConfig list : byLine(config.ipLists().values(), IpListConfig::line)) {
            if (list.url() != null) {
                sources.add(new ListSource(list.name(), list.file(), URI.create(list.url()), ListFormatKind.CIDR,
                        list.refresh(), list.minRules(), list.maxShrink(), list.maxBytes()));
            }
        }
        return sources;
    }

    /** Returns the rules of every list that was read, by list name. */
    public Map<String, List<Rule>> rules() {
        Map<String, List<Rule>> rules = new LinkedHashMap<>();
        lists.forEach((name, parsed) -> rules.put(name, parsed.rules()));
        return rules;
    }
}
