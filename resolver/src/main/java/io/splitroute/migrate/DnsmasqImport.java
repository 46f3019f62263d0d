package io.splitroute.migrate;

import io.splitroute.lists.format.DnsmasqConfig;
import io.splitroute.lists.format.DnsmasqDirective;
import io.splitroute.lists.format.DnsmasqDirective.Nftset;
import io.splitroute.lists.format.DnsmasqFormat;
import io.splitroute.lists.format.ParseProblem;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an existing dnsmasq setup (the main config, gfwlist2dnsmasq output, the china list, ipset/nftset
 * files) into an equivalent splitroute YAML. Each file with domain rules becomes a list, read in place; a
 * file's {@code server=/…/IP} upstream becomes an upstream group and its {@code ipset=}/{@code nftset=}
 * sets become the route's sets. What has no equivalent is listed in comments, never silently dropped.
 */
public final class DnsmasqImport {
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:+-]{1,15}");
    private static final int PROBLEMS_LISTED = 20;
    /** Options that need nothing in splitroute, each listed in the output with why. */
    private static final Map<String, String> WITHOUT_EFFECT = Map.ofEntries(
            Map.entry("bind-interfaces", "not needed: splitroute binds each listen address itself"),
            Map.entry("bind-dynamic", "not needed: splitroute waits for a listen address that is not up yet"),
            Map.entry("no-hosts", "not needed: splitroute does not read /etc/hosts"),
            Map.entry("strict-order", "not needed: splitroute always tries a group's servers in order"),
            Map.entry("no-poll", "not needed: splitroute reads resolv.conf at start and on reload"),
            Map.entry("keep-in-foreground", "not needed: the service runs in the foreground"),
            Map.entry("pid-file", "set by the service unit, not the config"),
            Map.entry("user", "set by the service unit, not the config"),
            Map.entry("group", "set by the service unit, not the config"),
            Map.entry("log-facility", "splitroute logs to stderr (the journal); see query-log for queries"),
            Map.entry("domain-needed", "no splitroute equivalent: unqualified names are forwarded"),
            Map.entry("bogus-priv", "no splitroute equivalent: private reverse lookups are forwarded"));

    private final List<String> notes = new ArrayList<>();
    private final List<String> listen = new ArrayList<>();
    private final Map<String, String> upstreams = new LinkedHashMap<>();
    private final List<String> defaultServers = new ArrayList<>();
    private final Map<String, String> lists = new LinkedHashMap<>();
    /** Config name of each kernel set, to its YAML definition. */
    private final Map<String, String> sets = new LinkedHashMap<>();
    /** The other way round: a set met again under the same definition keeps its name. */
    private final Map<String, String> setNames = new HashMap<>();
    private final List<String> routes = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();
    private String port = "53";
    private String cacheSize;
    private boolean noResolv;

    /** Reads the files, in order, and returns the YAML. */
    public static String convert(List<Path> files) throws IOException {
        DnsmasqImport im = new DnsmasqImport();
        for (Path file : files) {
            im.read(file.toAbsolutePath().normalize());
        }
        return im.yaml();
    }

    private void read(Path file) throws IOException {
        sources.add(file.toString());
        DnsmasqConfig config = new DnsmasqFormat().readConfig(file);
        Set<String> fileUpstreams = new LinkedHashSet<>();
        Set<String> fileSets = new LinkedHashSet<>();
        int domainLines = 0;
        for (DnsmasqDirective d : config.directives()) {
            switch (d) {
                case DnsmasqDirective.Server s when s.isDefault() -> {
                    if (s.address() != null && !s.address().equals("#")) {
                        defaultServers.add(uri(file, s));
                    }
                }
                case DnsmasqDirective.Server s -> {
                    domainLines++;
                    if (s.address() == null || s.address().equals("#")) {
                        note(file, s.line(), s.text(), s.address() == null
                                ? "local-only domains are not supported yet" : "'#' (use the default servers) is not imported");
                    } else {
                        fileUpstreams.add(uri(file, s));
                    }
                }
                case DnsmasqDirective.Ipset i -> {
                    domainLines++;
                    for (String set : i.sets()) {
                        fileSets.add(set(set, "ipset", "{ type: ipset, name: " + set + ", family: inet }", file, i));
                    }
                }
                case Nftset n -> {
                    domainLines++;
                    for (DnsmasqDirective.NftSet s : n.sets()) {
                        String family = s.family() == null ? "inet" : s.family();
                        fileSets.add(set(s.set(), "nft", "{ type: nftset, table: \"" + family + " " + s.table()
                                + "\", name: " + s.set() + ", family: " + (s.ipVersion() == 6 ? "inet6" : "inet") + " }", file, n));
                    }
                }
                case DnsmasqDirective.Address a -> note(file, a.line(), a.text(), "local answers are not supported yet");
                case DnsmasqDirective.Option o -> option(file, o);
            }
        }
        problems(config);
        if (domainLines > 0) {
            String list = unique(listName(file), lists.keySet());
            lists.put(list, "{ file: " + file + ", format: dnsmasq }");
            String upstream;
            if (fileUpstreams.size() > 1) {
                note(file, 0, "", "domains go to " + fileUpstreams.size() + " different servers; the route uses the first, "
                        + fileUpstreams.iterator().next() + ": split the file per server for the others");
            }
            upstream = fileUpstreams.isEmpty() ? null : group(fileUpstreams.iterator().next());
            StringBuilder route = new StringBuilder("  - { name: " + list + ", lists: [" + list + "], upstream: ")
                    .append(upstream == null ? "default" : upstream);
            if (!fileSets.isEmpty()) {
                route.append(", sets: [").append(String.join(", ", fileSets)).append("]");
            }
            routes.add(route.append(" }").toString());
        }
    }

    private void option(Path file, DnsmasqDirective.Option o) {
        switch (o.name()) {
            case "listen-address" -> {
                for (String a : o.value().split(",")) {
                    listen.add(a.strip());
                }
            }
            case "port" -> port = o.value().strip();
            case "cache-size" -> cacheSize = o.value().strip();
            case "no-resolv" -> noResolv = true;
            default -> note(file, o.line(), o.text(), WITHOUT_EFFECT.getOrDefault(o.name(), "no splitroute equivalent"));
        }
    }

    /**
     * Returns the config name of the kernel set {@code definition}: its kernel name, or, when another set
     * (an ipset and an nft set, two nft tables, two families) already has that name, a distinct one with a
     * note, so that no route writes to a set of the wrong type.
     */
    private String set(String kernelName, String kind, String definition, Path file, DnsmasqDirective where) {
        String known = setNames.get(definition);
        if (known != null) {
            return known;
        }
        String name = kernelName;
        if (sets.containsKey(name)) {
            name = unique(kernelName + "-" + kind, sets.keySet());
            note(file, where.line(), where.text(), "the set name " + kernelName + " is taken by " + sets.get(kernelName)
                    + "; this set is called " + name + " here");
        }
        sets.put(name, definition);
        setNames.put(definition, name);
        return name;
    }

    private String group(String uri) {
        for (Map.Entry<String, String> e : upstreams.entrySet()) {
            if (e.getValue().equals(uri)) {
                return e.getKey();
            }
        }
        String name = unique("upstream" + (upstreams.size() + 1), upstreams.keySet());
        upstreams.put(name, uri);
        return name;
    }

    /**
     * {@code udp://IP:PORT}, with {@code @IFACE} when the line binds the server to an interface
     * ({@code server=IP@wg0}); a source address ({@code @192.168.1.1}) or source port has no equivalent and is
     * noted.
     */
    private String uri(Path file, DnsmasqDirective.Server s) {
        String address = s.address();
        String uri = "udp://" + (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":"
                + (s.port() == 0 ? 53 : s.port());
        String via = s.via();
        if (via == null || via.isEmpty()) {
            return uri;
        }
        int hash = via.indexOf('#');
        String head = hash < 0 ? via : via.substring(0, hash);
        if (isIp(head) || !INTERFACE.matcher(head).matches()) {
            note(file, s.line(), s.text(), "'@" + via + "': a source address is not supported; imported as " + uri);
            return uri;
        }
        if (hash >= 0) {
            note(file, s.line(), s.text(), "source port " + via.substring(hash + 1) + " is not supported; imported as "
                    + uri + "@" + head);
        }
        return uri + "@" + head;
    }

    private static boolean isIp(String text) {
        try {
            InetAddress.ofLiteral(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The lines the dnsmasq reader could not read, listed as not imported (at most 20 per file). */
    private void problems(DnsmasqConfig config) {
        List<ParseProblem> problems = config.list().problems();
        problems.stream().limit(PROBLEMS_LISTED).forEach(p -> notes.add(p + " (line not read)"));
        if (problems.size() > PROBLEMS_LISTED) {
            notes.add((problems.size() - PROBLEMS_LISTED) + " more lines of " + problems.getFirst().source() + " not read");
        }
    }

    private void note(Path file, int line, String text, String why) {
        notes.add(file + (line > 0 ? ":" + line : "") + ": " + (text.isEmpty() ? "" : text.strip() + ": ") + why);
    }

    private static String listName(Path file) {
        String base = file.getFileName().toString().replaceFirst("\\.(conf|txt|lst)$", "");
        String name = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-|-$", "");
        return name.isEmpty() ? "list" : name;
    }

    private static String unique(String name, Set<String> taken) {
        String candidate = name;
        for (int i = 2; taken.contains(candidate); i++) {
            candidate = name + "-" + i;
        }
        return candidate;
    }

    private String yaml() {
        StringBuilder y = new StringBuilder("# splitroute config imported from dnsmasq by `splitroute import-dnsmasq`:\n");
        sources.forEach(s -> y.append("#   ").append(s).append('\n'));
        y.append("# Lists are read in place from the files above; check names with: splitroute check NAME --config THIS\n");
        List<String> addresses = listen.isEmpty() ? List.of("127.0.0.1") : listen;
        y.append("listen: [").append(String.join(", ", addresses.stream()
                .map(a -> "\"" + (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + port + "\"").toList())).append("]\n");
        List<String> defaults = new ArrayList<>(defaultServers);
        if (!noResolv) {
            defaults.add("system");
        }
        if (defaults.isEmpty()) {
            defaults.add("system");
            notes.add("dnsmasq had no-resolv and no default server=: unmatched names go to the system resolvers here");
        }
        y.append("upstreams:\n  default: [").append(String.join(", ", defaults.stream().map(d -> "\"" + d + "\"").toList()))
                .append("]\n");
        upstreams.forEach((name, uri) -> y.append("  ").append(name).append(": [\"").append(uri).append("\"]\n"));
        if (!lists.isEmpty()) {
            y.append("lists:\n");
            lists.forEach((name, def) -> y.append("  ").append(name).append(": ").append(def).append('\n'));
        }
        if (!sets.isEmpty()) {
            y.append("sets:\n");
            sets.forEach((name, def) -> y.append("  ").append(name).append(": ").append(def).append('\n'));
        }
        if (!routes.isEmpty()) {
            y.append("routes:\n");
            routes.forEach(r -> y.append(r).append('\n'));
        }
        y.append("default-upstream: default\n");
        if (cacheSize != null) {
            y.append("cache: { size: ").append(cacheSize).append(" }\n");
        }
        if (!notes.isEmpty()) {
            y.append("# Not imported:\n");
            notes.forEach(n -> y.append("#   ").append(n.replace('\n', ' ')).append('\n'));
        }
        return y.toString();
    }
}
