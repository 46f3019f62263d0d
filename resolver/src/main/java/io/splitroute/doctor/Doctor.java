package io.splitroute.doctor;

import io.splitroute.config.ConfigException;
import io.splitroute.config.ConfigLoader;
import io.splitroute.config.ListConfig;
import io.splitroute.config.ListenAddress;
import io.splitroute.config.RouteConfig;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.routing.RouteLists;
import io.splitroute.routing.Routing;
import io.splitroute.sets.SetConfig;
import io.splitroute.sink.AddressFamily;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs every check of {@code splitroute doctor} in the order a query travels the chain, and tells {@code
 * listener} each finding as it is made: config, lists, listeners and health, kernel sets, the marking rule,
 * the {@code ip rule} and the route table, each upstream, the tunnel (after the upstreams: their queries
 * make WireGuard shake hands), and the names.
 */
public final class Doctor {
    /** The name of the first check; when it fails nothing else runs. */
    public static final String CONFIG = "config";
    /** The config {@code doctor} reads without {@code --config}, when it exists. */
    public static final Path DEFAULT_CONFIG = Path.of("/etc/splitroute/splitroute.yaml");
    /** How many sample names of each route must get an address when no name is given. */
    static final int SAMPLES_PER_ROUTE = 2;

    private final Options options;
    private final Consumer<Finding> listener;
    private final List<Finding> findings = new ArrayList<>();
    private final HostTools tools = new HostTools();

    /**
     * What to check.
     *
     * @param config   the config file, or {@code null} for {@link #DEFAULT_CONFIG} if it exists, else the embedded one
     * @param settings the routing scripts' settings file ({@link RoutingSettings#DEFAULT_FILE})
     * @param tunnel   {@code --tunnel}, or {@code null}
     * @param mark     {@code --mark}, or {@code null}
     * @param table    {@code --table}, or {@code null}
     * @param names    names to check end to end; empty: samples of each route
     */
    public record Options(Path config, Path settings, String tunnel, String mark, String table, List<String> names) {
        /** Copies the names. */
        public Options {
            names = List.copyOf(names);
        }
    }

    private Doctor(Options options, Consumer<Finding> listener) {
        this.options = options;
        this.listener = listener;
    }

    /** Runs every check; {@code listener} sees each finding as soon as it is made. */
    public static DoctorReport run(Options options, Consumer<Finding> listener) {
        Doctor doctor = new Doctor(options, listener);
        doctor.runChecks();
        return new DoctorReport(doctor.findings);
    }

    private void add(Finding finding) {
        findings.add(finding);
        listener.accept(finding);
    }

    private void runChecks() {
        SplitrouteConfig config = loadConfig();
        if (config == null) {
            return;
        }
        RouteLists lists = RouteLists.load(config);
        Instant now = Instant.now();
        config.lists().values().stream().sorted(Comparator.comparingInt(ListConfig::line))
                .forEach(list -> add(ListCheck.check(list, lists, now)));
        Routing routing = Routing.compile(config, lists.rules());
        InetSocketAddress server = null;
        for (ListenAddress listen : config.listen()) {
            Finding finding = ListenerCheck.check(listen);
            add(finding);
            server = server == null && finding.ok() ? ListenerCheck.target(listen) : server;
        }
        Finding health = ListenerCheck.health(config.admin());
        if (health != null) {
            add(health);
        }
        try (KernelSets kernel = new KernelSets()) {
            checkSetsAndRouting(config, lists, routing, kernel, server);
        }
    }

    private void checkSetsAndRouting(SplitrouteConfig config, RouteLists lists, Routing routing, KernelSets kernel,
                                     InetSocketAddress server) {
        Map<String, SetConfig> sets = new LinkedHashMap<>();
        config.sets().sets().entrySet().stream().sorted(Comparator.comparingInt(e -> e.getValue().line()))
                .forEach(e -> sets.put(e.getKey(), e.getValue()));
        sets.forEach((name, set) -> add(SetCheck.check(name, set, kernel)));
        Set<String> routed = new LinkedHashSet<>();
        config.routes().forEach(route -> routed.addAll(route.sets()));
        RoutingSettings settings = routed.isEmpty() ? null : settings();
        PolicyRouting policy = settings == null ? null : new PolicyRouting(tools, settings);
        if (routed.isEmpty()) {
            add(Finding.ok("routing", "no route writes to a set: nothing is routed through a tunnel"));
        } else if (settings != null) {
            MarkingCheck marking = new MarkingCheck(tools, settings);
            routed.forEach(name -> add(marking.check(name, sets.get(name))));
            boolean v6 = routed.stream().anyMatch(name -> sets.get(name).target().family() == AddressFamily.INET6);
            add(policy.rule("-4"));
            add(policy.table("-4"));
            if (v6) {
                add(policy.rule("-6"));
                add(policy.table("-6"));
            }
        }
        Map<String, List<String>> candidates = options.names().isEmpty()
                ? SampleNames.of(config, lists, routing) : Map.of();
        UpstreamCheck.check(config, namesByGroup(config, routing, candidates)).forEach(this::add);
        if (settings != null) {
            add(new TunnelCheck(tools).check(settings.tunnel(), Instant.now()));
        }
        if (server == null) {
            add(Finding.skip("names", "no listen address answered: nothing to ask"));
            return;
        }
        NameCheck names = new NameCheck(server, routing, kernel, policy, settings);
        if (!options.names().isEmpty()) {
            options.names().forEach(name -> add(names.check(name).finding()));
        } else {
            candidates.forEach((route, tried) -> samples(names, route, tried));
        }
    }

    private void samples(NameCheck names, String route, List<String> candidates) {
        int answered = 0;
        for (String name : candidates) {
            NameCheck.Outcome outcome = names.check(name);
            if (outcome.answered()) {
                add(outcome.finding());
                if (++answered == SAMPLES_PER_ROUTE) {
                    return;
                }
            }
        }
        if (answered == 0) {
            add(candidates.isEmpty() ? Finding.skip("route " + route, "no name to try: give one (doctor NAME)")
                    : Finding.fail("route " + route, "none of its names got an address through the server (tried "
                    + String.join(", ", candidates) + ")", "check its upstream above, and dig @SERVER NAME"));
        }
    }

    /** For each upstream group, a name that goes to it: one that is checked, else a sample of a route bound to it. */
    private Map<String, String> namesByGroup(SplitrouteConfig config, Routing routing, Map<String, List<String>> samples) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String name : options.names()) {
            names.putIfAbsent(routing.route(name).upstream(), name);
        }
        for (RouteConfig route : config.routes()) {
            List<String> tried = samples.getOrDefault(route.name(), List.of());
            if (!tried.isEmpty()) {
                names.putIfAbsent(route.upstream(), tried.getFirst());
            }
        }
        return names;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private RoutingSettings settings() {
        try {
            return RoutingSettings.read(options.settings(), options.tunnel(), options.mark(), options.table());
        } catch (IOException | IllegalArgumentException e) {
            add(Finding.fail("routing settings", e.getMessage(), "fix " + options.settings() + " or the flags"));
            return null;
        }
    }

    private SplitrouteConfig loadConfig() {
        Path file = options.config() != null ? options.config() : Files.exists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
        try {
            SplitrouteConfig config = file == null ? ConfigLoader.loadEmbedded() : ConfigLoader.load(file);
            add(Finding.ok(CONFIG, config.source() + ": " + count(config.routes().size(), "route") + ", "
                    + count(config.lists().size(), "list") + ", " + count(config.sets().sets().size(), "set") + ", "
                    + count(config.upstreams().size(), "upstream group")));
            return config;
        } catch (NoSuchFileException e) {
            add(Finding.fail(CONFIG, file + " does not exist", "give --config FILE"));
        } catch (IOException e) {
            add(Finding.fail(CONFIG, "cannot read " + file + ": " + e.getMessage(), "check its permissions"));
        } catch (ConfigException e) {
            add(Finding.fail(CONFIG, String.join("; ", e.problems().stream().map(Object::toString).toList()),
                    "fix the lines named; splitroute check --config " + file + " reads it the same way"));
        }
        return null;
    }
}
