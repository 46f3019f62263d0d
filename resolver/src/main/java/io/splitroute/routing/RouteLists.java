package io.splitroute.routing;

import io.splitroute.config.IpListConfig;
import io.splitroute.config.ListConfig;
import io.splitroute.config.RouteConfig;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.lists.compiled.CompiledRuleTables;
import io.splitroute.lists.compiled.RuleTableSpec;
import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.format.ParsedIpList;
import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.rule.Origin;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleKind;
import io.splitroute.lists.rule.RuleTable;
import io.splitroute.lists.update.ListSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lists a config names, as a running server keeps them: each domain list's load summary (counts, the
 * first dropped lines), never its rules, which live only in the compiled rule table ({@link #table}); the IP lists
 * ({@code ip-lists:}) answers are judged by, in their compact range tables; and the lists that could not be read.
 * A list that cannot be read is reported, not fatal: its routes go on with their other rules, and an IP list
 * that is missing holds no address.
 *
 * @param lists    the domain lists that were read, by name, in the order the routes take them (summaries only)
 * @param ipLists  the IP lists that were read, by name, in config order
 * @param failures one line per list that could not be read
 */
public record RouteLists(Map<String, ParsedList> lists, Map<String, ParsedIpList> ipLists, List<String> failures) {
    /** The {@code file:} value that names the gfwlist snapshot inside the jar. */
    public static final String BUNDLED_GFWLIST = "bundled:gfwlist";

    /** Copies the arguments. */
    public RouteLists {
        lists = Collections.unmodifiableMap(new LinkedHashMap<>(lists));
        ipLists = Collections.unmodifiableMap(new LinkedHashMap<>(ipLists));
        failures = List.copyOf(failures);
    }

    /** Domain lists only. */
    public RouteLists(Map<String, ParsedList> lists, List<String> failures) {
        this(lists, Map.of(), failures);
    }

    /**
     * The rule table of a config's routes and lists, with the lists' summaries.
     *
     * @param table  the table (mapped from its compiled file, or on the heap)
     * @param lists  the lists' summaries and failures
     * @param note   how the table was had, for the log: mapped, or compiled and why
     * @param mapped true if the table is read from the mapped file (its rules cost no heap)
     */
    public record Table(RuleTable table, RouteLists lists, String note, boolean mapped) {}

    /**
     * Returns the rule table of {@code config}: mapped from the compiled file beside the lists
     * ({@link CompiledRuleTables#besideTheLists}) when that file is current, else read from the lists,
     * compiled, written there for the next start and mapped. A config whose lists are all bundled (or which
     * has none) is compiled on the heap.
     *
     * @throws IllegalArgumentException if a rule cannot be compiled (a regexp that does not compile)
     */
    public static Table load(SplitrouteConfig config) {
        RuleTableSpec spec = spec(config);
        Optional<Path> file = CompiledRuleTables.besideTheLists(spec);
        CompiledRuleTables.Loaded loaded = file.isPresent() ? CompiledRuleTables.load(spec, file.get())
                : CompiledRuleTables.compile(spec);
        if (!loaded.note().startsWith("mapped ")) {
            // The lists were read and compiled: tens of MB of garbage (the china list alone: 20 MB). A full
            // collection now, off the query path, lets the heap shrink back (the shipped flags allow it) instead
            // of keeping those pages resident for the life of the process.
            System.gc();
        }
        return table(config, loaded);
    }

    /**
     * Returns the rule table of {@code config} compiled on the heap from the lists, without reading or writing
     * any compiled file (for {@code check}, which may run as another user than the server).
     *
     * @throws IllegalArgumentException if a rule cannot be compiled
     */
    public static Table compile(SplitrouteConfig config) {
        return table(config, CompiledRuleTables.compile(spec(config)));
    }

    /**
     * Writes the compiled rule table of {@code config} beside its lists unless it is current (after
     * {@code lists update}, so the server's next start or reload maps it instead of compiling).
     *
     * @return what was done, for the user; empty when the config reads no list file
     */
    public static Optional<String> refreshCompiled(SplitrouteConfig config) {
        RuleTableSpec spec = spec(config);
        return CompiledRuleTables.besideTheLists(spec).map(file -> CompiledRuleTables.load(spec, file).note());
    }

    /**
     * Returns what the rule table of {@code config} is compiled from: its routes in order, each with its inline
     * domains (suffix rules whose origin is the config line) and then its lists, in the order the route names them.
     */
    public static RuleTableSpec spec(SplitrouteConfig config) {
        RuleTableSpec.Builder spec = RuleTableSpec.builder();
        for (RouteConfig r : config.routes()) {
            spec.route(r.name());
            for (String domain : r.domains()) {
                spec.rule(r.name(), new Rule(RuleKind.SUFFIX, domain, false,
                        new Origin("routes." + r.name() + ".domains", config.source(), r.line(), domain)));
            }
            for (String list : r.lists()) {
                ListConfig listConfig = config.lists().get(list);
                if (listConfig != null) {
                    spec.listFile(list, listConfig.file(), format(listConfig)).list(r.name(), list);
                }
            }
        }
        return spec.build();
    }

    private static Table table(SplitrouteConfig config, CompiledRuleTables.Loaded loaded) {
        if (loaded.mapped()) {
            // Opening the file read all of it (its checksum): let those pages go. A lookup faults back in only
            // the few it reads, from the page cache, so the process does not carry the whole file (7.7 MB for
            // gfwlist + the china list) in its resident memory.
            loaded.table().compiledForm().unload();
        }
        List<String> failures = new ArrayList<>();
        loaded.failures().forEach((name, reason) -> {
            ListConfig list = config.lists().get(name);
            boolean missing = reason.endsWith("does not exist");
            failures.add(name + ": " + reason + (missing && list != null && list.url() != null
                    ? " (run: splitroute lists update)" : ""));
        });
        Map<String, ParsedIpList> ipLists = new LinkedHashMap<>();
        for (IpListConfig list : byLine(config.ipLists().values(), IpListConfig::line)) {
            try {
                ipLists.put(list.name(), io.splitroute.lists.BundledLists.readIpList(list.name(), list.file()));
            } catch (IOException | RuntimeException e) {
                failures.add(failure(list.name(), list.file(), list.url(), e));
            }
        }
        return new Table(loaded.table(), new RouteLists(loaded.lists(), ipLists, failures), loaded.note(),
                loaded.mapped());
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

    /**
     * Reads one list of {@code config} with its rules (the server keeps only summaries; {@code doctor} samples
     * names from the rules).
     *
     * @return the list, or null when the config names no such list
     * @throws java.io.IOException if its file cannot be read
     */
    public static ParsedList read(SplitrouteConfig config, String name) throws IOException {
        ListConfig list = config.lists().get(name);
        return list == null ? null : io.splitroute.lists.BundledLists.readList(name, list.file(), format(list));
    }

    private static ListFormatKind format(ListConfig list) {
        return list.format() == null ? null : ListFormatKind.fromName(list.format());
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
                        format(list),
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
}
