package io.splitroute.config;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.config.SplitrouteConfig.AdminConfig;
import io.splitroute.config.SplitrouteConfig.CacheConfig;
import io.splitroute.config.SplitrouteConfig.ListConfig;
import io.splitroute.config.SplitrouteConfig.RouteConfig;
import io.splitroute.config.SplitrouteConfig.QueryLogConfig;
import io.splitroute.config.SplitrouteConfig.SetTimeout;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.NftSetTarget;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.SetTarget;
import io.splitroute.config.SplitrouteConfig.TcpConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads the YAML config into a {@link SplitrouteConfig}. Every problem is collected with its file, line and
 * key path, and all of them are reported at once in a {@link ConfigException}.
 */
public final class ConfigLoader {
    /** The source name of the config embedded in the jar. */
    public static final String EMBEDDED = "embedded default";

    private static final String EMBEDDED_RESOURCE = "/io/splitroute/default.yaml";
    private static final Set<String> TOP_KEYS = Set.of("listen", "upstreams", "routes", "default-upstream",
            "cache", "acl", "upstream-timeout", "tcp", "lists", "sets", "set-timeout", "set-write-deadline",
            "admin", "query-log");
    private static final Set<String> ROUTE_KEYS = Set.of("name", "domains", "lists", "upstream", "sets", "aaaa");
    private static final Set<String> SET_KEYS = Set.of("type", "name", "table", "family", "create", "set-type",
            "timeout", "hashsize", "maxelem", "on-error");
    private static final Set<String> SET_TIMEOUT_KEYS = Set.of("min", "max", "grace");
    private static final Set<String> CACHE_KEYS = Set.of("size", "min-ttl", "max-ttl");
    private static final Set<String> TCP_KEYS = Set.of("idle-timeout", "max-connections");
    private static final Set<String> LIST_KEYS = Set.of("file", "url", "format", "refresh", "min-rules", "max-shrink");
    private static final Set<String> ADMIN_KEYS = Set.of("listen");
    private static final Set<String> QUERY_LOG_KEYS = Set.of("enabled", "file");
    private static final Set<String> FORMATS = Set.of("gfwlist", "dnsmasq", "domains", "v2fly");

    private ConfigLoader() {}

    /** Reads a config file. */
    public static SplitrouteConfig load(Path file) throws IOException, ConfigException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), file.toAbsolutePath().getParent());
    }

    /** Reads the config embedded in the jar (used when no {@code --config} is given). */
    public static SplitrouteConfig loadEmbedded() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + EMBEDDED_RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), EMBEDDED, Path.of("."));
        } catch (IOException | ConfigException e) {
            throw new IllegalStateException("the embedded default config is broken: " + e.getMessage(), e);
        }
    }

    /** Returns the text of the embedded default config, for {@code --help} style output. */
    public static String embeddedText() throws IOException {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Parses config text.
     *
     * @param text    the YAML
     * @param source  the file name used in problems
     * @param baseDir relative list paths are resolved against this directory
     */
    public static SplitrouteConfig parse(String text, String source, Path baseDir) throws ConfigException {
        YamlNodes yaml = new YamlNodes(source);
        Optional<Node> root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(source).build();
            root = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text))).getSingleNode();
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ConfigException(List.of(new ConfigProblem(source, line, "(yaml)", e.getProblem())));
        } catch (RuntimeException e) {
            throw new ConfigException(List.of(new ConfigProblem(source, 0, "(yaml)", String.valueOf(e.getMessage()))));
        }
        if (root.isEmpty()) {
            throw new ConfigException(List.of(new ConfigProblem(source, 1, "(file)", "the config is empty")));
        }
        SplitrouteConfig config = new Reader(yaml, source, baseDir).read(root.get());
        if (!yaml.problems().isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(yaml.problems());
            sorted.sort(java.util.Comparator.comparingInt(ConfigProblem::line));
            throw new ConfigException(sorted);
        }
        return config;
    }

    /** One read of one document; holds the problem list. */
    private static final class Reader {
        private final YamlNodes yaml;
        private final String source;
        private final Path baseDir;

        Reader(YamlNodes yaml, String source, Path baseDir) {
            this.yaml = yaml;
            this.source = source;
            this.baseDir = baseDir;
        }

        SplitrouteConfig read(Node root) {
            Map<String, Node> top = yaml.mapping(root, "", TOP_KEYS);
            if (top == null) {
                return null;
            }
            List<ListenAddress> listen = top.containsKey("listen")
                    ? yaml.list(top.get("listen"), "listen", this::listenAddress)
                    : List.of(ListenAddress.parse("127.0.0.1:53"));
            Map<String, List<String>> upstreams = upstreams(top.get("upstreams"), root);
            Map<String, ListConfig> lists = top.containsKey("lists") ? lists(top.get("lists")) : Map.of();
            Map<String, SetConfig> sets = top.containsKey("sets") ? sets(top.get("sets")) : Map.of();
            List<RouteConfig> routes = top.containsKey("routes")
                    ? routes(top.get("routes"), upstreams, lists, sets) : List.of();
            SetTimeout setTimeout = top.containsKey("set-timeout") ? setTimeout(top.get("set-timeout")) : SetTimeout.DEFAULT;
            Duration deadline = top.containsKey("set-write-deadline")
                    ? positive(top.get("set-write-deadline"), "set-write-deadline") : Duration.ofMillis(50);
            String defaultUpstream = defaultUpstream(top.get("default-upstream"), upstreams, root);
            CacheConfig cache = top.containsKey("cache") ? cache(top.get("cache")) : CacheConfig.DEFAULT;
            List<String> acl = top.containsKey("acl") ? yaml.list(top.get("acl"), "acl", this::cidr)
                    : SplitrouteConfig.DEFAULT_ACL;
            Duration timeout = top.containsKey("upstream-timeout")
                    ? positive(top.get("upstream-timeout"), "upstream-timeout") : Duration.ofMillis(1500);
            TcpConfig tcp = top.containsKey("tcp") ? tcp(top.get("tcp")) : TcpConfig.DEFAULT;
            AdminConfig admin = top.containsKey("admin") ? admin(top.get("admin")) : AdminConfig.DEFAULT;
            QueryLogConfig queryLog = top.containsKey("query-log") ? queryLog(top.get("query-log")) : QueryLogConfig.DEFAULT;
            if (top.containsKey("listen") && isEmptyList(top.get("listen"))) {
                yaml.problem(top.get("listen"), "listen", "give at least one address to listen on");
            }
            if (!yaml.problems().isEmpty()) {
                return null;
            }
            return new SplitrouteConfig(source, listen, upstreams, routes, defaultUpstream, cache, acl,
                    timeout, tcp, lists, sets, setTimeout, deadline, admin, queryLog);
        }

        private static boolean isEmptyList(Node node) {
            return node instanceof org.snakeyaml.engine.v2.nodes.SequenceNode seq && seq.getValue().isEmpty();
        }

        private ListenAddress listenAddress(Node node, String key) {
            String text = yaml.string(node, key);
            if (text == null) {
                return null;
            }
            try {
                return ListenAddress.parse(text);
            } catch (IllegalArgumentException e) {
                yaml.problem(node, key, e.getMessage());
                return null;
            }
        }

        private Map<String, List<String>> upstreams(Node node, Node root) {
            Map<String, List<String>> groups = new LinkedHashMap<>();
            if (node == null) {
                yaml.problem(root, "upstreams", "missing: name at least one upstream group, e.g. isp: [\"system\"]");
                return groups;
            }
            Map<String, Node> entries = yaml.mapping(node, "upstreams", null);
            if (entries == null) {
                return groups;
            }
            entries.forEach((name, value) -> {
                String key = "upstreams." + name;
                List<String> specs = yaml.list(value, key, this::upstreamSpec);
                if (specs == null) {
                    return;
                }
                List<Node> items = yaml.sequence(value, key);
                if (items != null && items.isEmpty()) {
                    yaml.problem(value, key, "a group needs at least one server");
                }
                groups.put(name, specs);
            });
            if (entries.isEmpty()) {
                yaml.problem(node, "upstreams", "name at least one upstream group");
            }
            return groups;
        }

        private String upstreamSpec(Node node, String key) {
            String text = yaml.string(node, key);
            if (text == null) {
                return null;
            }
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.equals("system")) {
                return lower;
            }
            int scheme = lower.indexOf("://");
            String protocol = scheme < 0 ? "" : lower.substring(0, scheme);
            if (!protocol.equals("udp") && !protocol.equals("tcp")) {
                yaml.problem(node, key, "'" + text + "' is not udp://IP:PORT, tcp://IP:PORT or system");
                return null;
            }
            try {
                ListenAddress.parse(text.substring(scheme + 3));
                return text;
            } catch (IllegalArgumentException e) {
                yaml.problem(node, key, e.getMessage());
                return null;
            }
        }

        private Map<String, ListConfig> lists(Node node) {
            Map<String, ListConfig> lists = new LinkedHashMap<>();
            Map<String, Node> entries = yaml.mapping(node, "lists", null);
            if (entries == null) {
                return lists;
            }
            entries.forEach((name, value) -> {
                String key = "lists." + name;
                Map<String, Node> fields = yaml.mapping(value, key, LIST_KEYS);
                if (fields == null) {
                    return;
                }
                String file = fields.containsKey("file") ? yaml.string(fields.get("file"), key + ".file") : null;
                if (!fields.containsKey("file")) {
                    yaml.problem(value, key + ".file", "missing: where the list is stored");
                }
                String url = fields.containsKey("url") ? yaml.string(fields.get("url"), key + ".url") : null;
                if (url != null && !url.matches("(?i)https?://\\S+")) {
                    yaml.problem(fields.get("url"), key + ".url", "'" + url + "' is not an http:// or https:// URL");
                }
                String format = null;
                if (fields.containsKey("format")) {
                    format = yaml.string(fields.get("format"), key + ".format");
                    if (format != null && !FORMATS.contains(format)) {
                        yaml.problem(fields.get("format"), key + ".format",
                                "'" + format + "' is not one of gfwlist, dnsmasq, domains, v2fly");
                    }
                }
                Duration refresh = fields.containsKey("refresh") ? positive(fields.get("refresh"), key + ".refresh") : null;
                if (refresh != null && url == null) {
                    yaml.problem(fields.get("refresh"), key + ".refresh", "needs a url: to download from");
                }
                Long minRules = fields.containsKey("min-rules")
                        ? yaml.integer(fields.get("min-rules"), key + ".min-rules", 0, 100_000_000)
                        : Long.valueOf(ListConfig.DEFAULT_MIN_RULES);
                Double maxShrink = fields.containsKey("max-shrink")
                        ? fraction(fields.get("max-shrink"), key + ".max-shrink") : Double.valueOf(ListConfig.DEFAULT_MAX_SHRINK);
                if (file != null && minRules != null && maxShrink != null) {
                    Path path = file.startsWith("bundled:") ? Path.of(file) : baseDir.resolve(file).normalize();
                    lists.put(name, new ListConfig(name, path, url, format, refresh, minRules.intValue(), maxShrink,
                            YamlNodes.line(value)));
                }
            });
            return lists;
        }

        private List<RouteConfig> routes(Node node, Map<String, List<String>> upstreams, Map<String, ListConfig> lists,
                                         Map<String, SetConfig> sets) {
            List<RouteConfig> routes = new ArrayList<>();
            List<Node> items = yaml.sequence(node, "routes");
            if (items == null) {
                return routes;
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                String key = "routes[" + i + "]";
                Map<String, Node> fields = yaml.mapping(item, key, ROUTE_KEYS);
                if (fields == null) {
                    continue;
                }
                String name = fields.containsKey("name") ? yaml.string(fields.get("name"), key + ".name") : null;
                if (!fields.containsKey("name")) {
                    yaml.problem(item, key + ".name", "missing: every route needs a name");
                } else if (name != null && (name.equals("default") || !names.add(name))) {
                    yaml.problem(fields.get("name"), key + ".name", name.equals("default")
                            ? "'default' is the name of the route for unmatched names; pick another"
                            : "route '" + name + "' is defined twice");
                }
                List<String> domains = fields.containsKey("domains")
                        ? yaml.list(fields.get("domains"), key + ".domains", this::domain) : List.of();
                List<String> listNames = fields.containsKey("lists")
                        ? yaml.strings(fields.get("lists"), key + ".lists") : List.of();
                if (listNames != null) {
                    for (int j = 0; j < listNames.size(); j++) {
                        if (!lists.containsKey(listNames.get(j))) {
                            yaml.problem(fields.get("lists"), key + ".lists[" + j + "]", "no list named '"
                                    + listNames.get(j) + "' under lists:" + known(lists.keySet()));
                        }
                    }
                }
                if (!fields.containsKey("domains") && !fields.containsKey("lists")) {
                    yaml.problem(item, key, "a route needs domains: [...] or lists: [...]");
                }
                String upstream = upstreamRef(fields.get("upstream"), key + ".upstream", upstreams, item);
                List<String> setNames = fields.containsKey("sets")
                        ? yaml.strings(fields.get("sets"), key + ".sets") : List.of();
                if (setNames != null) {
                    for (int j = 0; j < setNames.size(); j++) {
                        if (!sets.containsKey(setNames.get(j))) {
                            yaml.problem(fields.get("sets"), key + ".sets[" + j + "]", "no set named '"
                                    + setNames.get(j) + "' under sets:" + known(sets.keySet()));
                        }
                    }
                }
                AaaaPolicy aaaa = aaaaPolicy(fields.get("aaaa"), key + ".aaaa", setNames, sets);
                if (name != null && domains != null && listNames != null && upstream != null && setNames != null
                        && aaaa != null) {
                    routes.add(new RouteConfig(name, domains, listNames, upstream, setNames, aaaa, YamlNodes.line(item)));
                }
            }
            return routes;
        }

        /** Default: pass on a route without sets; set when it has an inet6 set; drop otherwise (no IPv6 leak). */
        private AaaaPolicy aaaaPolicy(Node node, String key, List<String> setNames, Map<String, SetConfig> sets) {
            boolean hasInet6 = setNames != null && setNames.stream().map(sets::get)
                    .anyMatch(s -> s != null && s.target().family() == AddressFamily.INET6);
            if (node == null) {
                if (setNames == null || setNames.isEmpty()) {
                    return AaaaPolicy.PASS;
                }
                return hasInet6 ? AaaaPolicy.SET : AaaaPolicy.DROP;
            }
            String text = yaml.string(node, key);
            if (text == null) {
                return null;
            }
            for (AaaaPolicy p : AaaaPolicy.values()) {
                if (p.configName().equals(text)) {
                    if (p == AaaaPolicy.SET && !hasInet6) {
                        yaml.problem(node, key, "'set' needs an inet6 set among the route's sets");
                    }
                    return p;
                }
            }
            yaml.problem(node, key, "'" + text + "' is not one of drop, pass, set");
            return null;
        }

        private Map<String, SetConfig> sets(Node node) {
            Map<String, SetConfig> sets = new LinkedHashMap<>();
            Map<String, Node> entries = yaml.mapping(node, "sets", null);
            if (entries == null) {
                return sets;
            }
            entries.forEach((name, value) -> {
                SetConfig set = set(name, value, "sets." + name);
                if (set != null) {
                    sets.put(name, set);
                }
            });
            return sets;
        }

        private SetConfig set(String configName, Node value, String key) {
            Map<String, Node> f = yaml.mapping(value, key, SET_KEYS);
            if (f == null) {
                return null;
            }
            String type = f.containsKey("type") ? yaml.string(f.get("type"), key + ".type") : null;
            if (!f.containsKey("type")) {
                yaml.problem(value, key + ".type", "missing: ipset or nftset");
            } else if (type != null && !type.equals("ipset") && !type.equals("nftset")) {
                yaml.problem(f.get("type"), key + ".type", "'" + type + "' is not ipset or nftset");
                type = null;
            }
            String setName = f.containsKey("name") ? yaml.string(f.get("name"), key + ".name") : configName;
            AddressFamily family = AddressFamily.INET;
            if (f.containsKey("family")) {
                String text = yaml.string(f.get("family"), key + ".family");
                if ("inet6".equals(text)) {
                    family = AddressFamily.INET6;
                } else if (text != null && !"inet".equals(text)) {
                    yaml.problem(f.get("family"), key + ".family", "'" + text + "' is not inet (IPv4) or inet6 (IPv6)");
                }
            }
            Boolean create = f.containsKey("create") ? yaml.bool(f.get("create"), key + ".create") : Boolean.FALSE;
            String setType = f.containsKey("set-type") ? yaml.string(f.get("set-type"), key + ".set-type") : "hash:ip";
            if (setType != null && !setType.equals("hash:ip") && !setType.equals("hash:net")) {
                yaml.problem(f.get("set-type"), key + ".set-type", "'" + setType + "' is not hash:ip or hash:net");
            }
            Duration timeout = f.containsKey("timeout") ? yaml.duration(f.get("timeout"), key + ".timeout") : Duration.ZERO;
            Long hashSize = f.containsKey("hashsize") ? yaml.integer(f.get("hashsize"), key + ".hashsize", 64, 1 << 26) : Long.valueOf(1024);
            Long maxElem = f.containsKey("maxelem") ? yaml.integer(f.get("maxelem"), key + ".maxelem", 1, 1 << 28) : Long.valueOf(65536);
            SetConfig.OnError onError = SetConfig.OnError.ANSWER;
            if (f.containsKey("on-error")) {
                String text = yaml.string(f.get("on-error"), key + ".on-error");
                if ("servfail".equals(text)) {
                    onError = SetConfig.OnError.SERVFAIL;
                } else if (text != null && !"answer".equals(text)) {
                    yaml.problem(f.get("on-error"), key + ".on-error", "'" + text + "' is not answer or servfail");
                }
            }
            SetTarget target = null;
            if ("ipset".equals(type) && setName != null) {
                if (f.containsKey("table")) {
                    yaml.problem(f.get("table"), key + ".table", "an ipset has no table (that is for nftset)");
                }
                target = new IpsetTarget(setName, family);
            } else if ("nftset".equals(type) && setName != null) {
                String table = f.containsKey("table") ? yaml.string(f.get("table"), key + ".table") : null;
                if (!f.containsKey("table")) {
                    yaml.problem(value, key + ".table", "missing: the nftables table as \"FAMILY NAME\", e.g. \"inet fw4\"");
                } else if (table != null) {
                    String[] parts = table.trim().split("\\s+");
                    if (parts.length != 2 || !Set.of("ip", "ip6", "inet").contains(parts[0])) {
                        yaml.problem(f.get("table"), key + ".table", "'" + table
                                + "' is not \"FAMILY NAME\" with FAMILY ip, ip6 or inet (e.g. \"inet fw4\")");
                    } else {
                        target = new NftSetTarget(parts[0], parts[1], setName, family);
                    }
                }
            }
            if (target == null || create == null || setType == null || timeout == null || hashSize == null
                    || maxElem == null) {
                return null;
            }
            try {
                SetSpec spec = new SetSpec(target, setType, timeout, hashSize.intValue(), maxElem.intValue());
                return new SetConfig(configName, target, create, spec, onError, YamlNodes.line(value));
            } catch (IllegalArgumentException e) {
                yaml.problem(value, key, e.getMessage());
                return null;
            }
        }

        private SetTimeout setTimeout(Node node) {
            Map<String, Node> f = yaml.mapping(node, "set-timeout", SET_TIMEOUT_KEYS);
            if (f == null) {
                return null;
            }
            SetTimeout d = SetTimeout.DEFAULT;
            Duration min = f.containsKey("min") ? yaml.duration(f.get("min"), "set-timeout.min") : d.min();
            Duration max = f.containsKey("max") ? yaml.duration(f.get("max"), "set-timeout.max") : d.max();
            Duration grace = f.containsKey("grace") ? yaml.duration(f.get("grace"), "set-timeout.grace") : d.grace();
            if (min == null || max == null || grace == null) {
                return null;
            }
            if (min.compareTo(max) > 0) {
                yaml.problem(f.get("min"), "set-timeout.min", "min " + min.toSeconds() + " s is above max " + max.toSeconds() + " s");
            }
            if (max.toSeconds() > 2_147_483L) {
                yaml.problem(f.get("max"), "set-timeout.max", "the kernel's limit is 2147483 s");
            }
            return new SetTimeout(min, max, grace);
        }

        private String domain(Node node, String key) {
            String text = yaml.string(node, key);
            if (text == null) {
                return null;
            }
            try {
                return io.splitroute.lists.match.DomainNames.normalize(text);
            } catch (IllegalArgumentException e) {
                yaml.problem(node, key, e.getMessage());
                return null;
            }
        }

        private String defaultUpstream(Node node, Map<String, List<String>> upstreams, Node root) {
            if (node == null) {
                if (upstreams.size() == 1) {
                    return upstreams.keySet().iterator().next();
                }
                if (!upstreams.isEmpty()) {
                    yaml.problem(root, "default-upstream", "missing: which of " + upstreams.keySet()
                            + " serves names that no route matches?");
                }
                return null;
            }
            return upstreamRef(node, "default-upstream", upstreams, root);
        }

        private String upstreamRef(Node node, String key, Map<String, List<String>> upstreams, Node parent) {
            if (node == null) {
                yaml.problem(parent, key, "missing: name an upstream group" + known(upstreams.keySet()));
                return null;
            }
            String name = yaml.string(node, key);
            if (name != null && !upstreams.containsKey(name)) {
                yaml.problem(node, key, "no upstream group named '" + name + "'" + known(upstreams.keySet()));
                return null;
            }
            return name;
        }

        private CacheConfig cache(Node node) {
            Map<String, Node> fields = yaml.mapping(node, "cache", CACHE_KEYS);
            if (fields == null) {
                return null;
            }
            CacheConfig d = CacheConfig.DEFAULT;
            Long size = fields.containsKey("size") ? yaml.integer(fields.get("size"), "cache.size", 0, 10_000_000) : Long.valueOf(d.size());
            Long min = fields.containsKey("min-ttl") ? yaml.integer(fields.get("min-ttl"), "cache.min-ttl", 0, 604_800) : Long.valueOf(d.minTtl());
            Long max = fields.containsKey("max-ttl") ? yaml.integer(fields.get("max-ttl"), "cache.max-ttl", 0, 604_800) : Long.valueOf(d.maxTtl());
            if (size == null || min == null || max == null) {
                return null;
            }
            if (min > max) {
                yaml.problem(fields.get("min-ttl"), "cache.min-ttl", "min-ttl " + min + " is above max-ttl " + max);
            }
            return new CacheConfig(size, min, max);
        }

        /** {@code admin: off}, {@code admin: on}, or {@code admin: { listen: "127.0.0.1:9153" }}. */
        private AdminConfig admin(Node node) {
            if (node instanceof org.snakeyaml.engine.v2.nodes.ScalarNode) {
                Boolean on = yaml.bool(node, "admin");
                return on == null ? null : on ? new AdminConfig(AdminConfig.DEFAULT.listen(), true) : AdminConfig.OFF;
            }
            Map<String, Node> fields = yaml.mapping(node, "admin", ADMIN_KEYS);
            if (fields == null) {
                return null;
            }
            if (!fields.containsKey("listen")) {
                return new AdminConfig(AdminConfig.DEFAULT.listen(), true);
            }
            ListenAddress listen = listenAddress(fields.get("listen"), "admin.listen");
            return listen == null ? null : new AdminConfig(listen, true);
        }

        /** {@code query-log: on|off}, or {@code query-log: { enabled: false, file: PATH }}. */
        private QueryLogConfig queryLog(Node node) {
            if (node instanceof org.snakeyaml.engine.v2.nodes.ScalarNode) {
                Boolean on = yaml.bool(node, "query-log");
                return on == null ? null : new QueryLogConfig(on, null);
            }
            Map<String, Node> fields = yaml.mapping(node, "query-log", QUERY_LOG_KEYS);
            if (fields == null) {
                return null;
            }
            Boolean enabled = fields.containsKey("enabled") ? yaml.bool(fields.get("enabled"), "query-log.enabled") : Boolean.FALSE;
            String file = fields.containsKey("file") ? yaml.string(fields.get("file"), "query-log.file") : null;
            if (enabled == null || (fields.containsKey("file") && file == null)) {
                return null;
            }
            return new QueryLogConfig(enabled, file == null ? null : baseDir.resolve(file));
        }

        private TcpConfig tcp(Node node) {
            Map<String, Node> fields = yaml.mapping(node, "tcp", TCP_KEYS);
            if (fields == null) {
                return null;
            }
            Duration idle = fields.containsKey("idle-timeout")
                    ? positive(fields.get("idle-timeout"), "tcp.idle-timeout") : TcpConfig.DEFAULT.idleTimeout();
            Long max = fields.containsKey("max-connections")
                    ? yaml.integer(fields.get("max-connections"), "tcp.max-connections", 1, 100_000)
                    : Long.valueOf(TcpConfig.DEFAULT.maxConnections());
            return idle == null || max == null ? null : new TcpConfig(idle, max.intValue());
        }

        /** Reads a fraction: {@code 0.5} or {@code 50%}. */
        private Double fraction(Node node, String key) {
            String text = yaml.string(node, key);
            if (text == null) {
                return null;
            }
            try {
                double v = text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1)) / 100
                        : Double.parseDouble(text);
                if (v >= 0 && v <= 1) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            yaml.problem(node, key, "expected a fraction between 0 and 1 (0.5) or a percentage (50%), got '" + text + "'");
            return null;
        }

        private Duration positive(Node node, String key) {
            Duration d = yaml.duration(node, key);
            if (d != null && d.isZero()) {
                yaml.problem(node, key, "must be more than 0");
                return null;
            }
            return d;
        }

        private String cidr(Node node, String key) {
            String text = yaml.string(node, key);
            if (text == null) {
                return null;
            }
            int slash = text.indexOf('/');
            try {
                String ip = slash < 0 ? text : text.substring(0, slash);
                java.net.InetAddress address = ListenAddress.parseIp(ip, text);
                int max = address instanceof java.net.Inet4Address ? 32 : 128;
                int prefix = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException("prefix /" + prefix + " in '" + text + "' is not between 0 and " + max);
                }
                new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT);
                return address.getHostAddress() + "/" + prefix;
            } catch (NumberFormatException e) {
                yaml.problem(node, key, "'" + text + "' is not a network such as 192.168.0.0/16");
            } catch (IllegalArgumentException e) {
                yaml.problem(node, key, e.getMessage());
            }
            return null;
        }

        private static String known(Set<String> names) {
            return names.isEmpty() ? "" : " (known: " + String.join(", ", names) + ")";
        }
    }

}
