package io.splitroute.config;

import io.splitroute.upstream.GroupSpec;
import io.splitroute.upstream.HttpsUpstream;
import io.splitroute.upstream.ServerSpec;
import io.splitroute.upstream.SocketBinding;
import io.splitroute.upstream.tls.TlsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code upstreams:} (named groups, each a list of servers or an object
 * {@code { servers, interface, mark, tls, method }}), {@code bootstrap:}, {@code upstream-timeout:} and
 * {@code default-upstream:}, and with {@link TlsSection} the top-level {@code tls:}. Each group comes out as the
 * {@link GroupSpec} it runs with: the top-level {@code tls:} is given to groups with encrypted servers that have
 * no {@code tls:} of their own, and {@code bootstrap:} to groups with an encrypted server given without
 * {@code @IP}.
 */
final class UpstreamsSection {
    static final Set<String> KEYS = Set.of("upstreams", "upstream-timeout", "default-upstream", "bootstrap");
    private static final Set<String> GROUP_KEYS = Set.of("servers", "interface", "mark", "tls", "method");

    private UpstreamsSection() {}

    /**
     * The upstream keys as read.
     *
     * @param groups          the groups by name, in config order (a {@code null} spec for a group with problems)
     * @param timeout         one attempt's timeout
     * @param defaultUpstream the group of unmatched names
     */
    record Upstreams(Map<String, GroupSpec> groups, Duration timeout, String defaultUpstream) {}

    /** @param baseDir a relative {@code ca-file} is resolved against it */
    static Upstreams read(YamlNodes yaml, Map<String, Node> top, Node root, Path baseDir) {
        TlsOptions tls = TlsSection.top(yaml, top, baseDir);
        List<String> bootstrap = top.containsKey("bootstrap") ? bootstrap(yaml, top.get("bootstrap")) : List.of();
        Defaults defaults = new Defaults(tls, bootstrap);
        Map<String, GroupSpec> groups = groups(yaml, top.get("upstreams"), root, defaults, baseDir);
        Duration timeout = top.containsKey("upstream-timeout")
                ? yaml.positive(top.get("upstream-timeout"), "upstream-timeout")
                : SplitrouteConfig.DEFAULT_UPSTREAM_TIMEOUT;
        return new Upstreams(groups, timeout, defaultUpstream(yaml, top.get("default-upstream"), groups, root));
    }

    /** What the top level gives every group: TLS options and bootstrap servers (null members: not readable). */
    private record Defaults(TlsOptions tls, List<String> bootstrap) {}

    private static Map<String, GroupSpec> groups(YamlNodes yaml, Node node, Node root, Defaults defaults, Path baseDir) {
        Map<String, GroupSpec> groups = new LinkedHashMap<>();
        if (node == null) {
            yaml.problem(root, "upstreams", "missing: name at least one upstream group, e.g. isp: [\"system\"]");
            return groups;
        }
        Map<String, Node> entries = yaml.mapping(node, "upstreams", null);
        if (entries == null) {
            return groups;
        }
        entries.forEach((name, value) -> {
            GroupSpec group = value instanceof MappingNode
                    ? objectGroup(yaml, name, value, defaults, baseDir)
                    : group(yaml, name, value, "upstreams." + name, null, null, null, null, defaults);
            // A group with problems keeps its name (null spec), so routes naming it get no second error; the
            // config is rejected for the problems before anything reads the specs.
            groups.put(name, group);
        });
        if (entries.isEmpty()) {
            yaml.problem(node, "upstreams", "name at least one upstream group");
        }
        return groups;
    }

    /** {@code NAME: { servers: [...], interface: wg0, mark: 0xca6c, tls: {...}, method: post|get }}. */
    private static GroupSpec objectGroup(YamlNodes yaml, String name, Node value, Defaults defaults, Path baseDir) {
        String key = "upstreams." + name;
        Map<String, Node> f = yaml.mapping(value, key, GROUP_KEYS);
        if (f == null) {
            return null;
        }
        int problems = yaml.problems().size();
        String iface = f.containsKey("interface") ? iface(yaml, f.get("interface"), key + ".interface") : null;
        Long mark = f.containsKey("mark") ? mark(yaml, f.get("mark"), key + ".mark") : null;
        TlsOptions tls = f.containsKey("tls") ? TlsSection.read(yaml, f.get("tls"), key + ".tls", baseDir) : null;
        HttpsUpstream.Method method = f.containsKey("method") ? method(yaml, f.get("method"), key + ".method") : null;
        if (!f.containsKey("servers")) {
            yaml.problem(value, key + ".servers", "missing: the group's servers, tried in order");
            return null;
        }
        GroupSpec group = group(yaml, name, f.get("servers"), key + ".servers", iface, mark, tls, method, defaults);
        return yaml.problems().size() > problems ? null : group;
    }

    private static GroupSpec group(YamlNodes yaml, String name, Node serversNode, String key, String iface, Long mark,
                                   TlsOptions tls, HttpsUpstream.Method method, Defaults defaults) {
        List<Node> items = yaml.sequence(serversNode, key);
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            yaml.problem(serversNode, key, "a group needs at least one server");
            return null;
        }
        List<String> servers = new ArrayList<>();
        boolean encrypted = false;
        boolean lookups = false;
        for (int i = 0; i < items.size(); i++) {
            String itemKey = key + "[" + i + "]";
            Server server = server(yaml, items.get(i), itemKey);
            if (server == null) {
                continue;
            }
            servers.add(server.entry());
            if (server.spec() != null && server.spec().protocol().encrypted()) {
                encrypted = true;
                if (server.spec().needsBootstrap()) {
                    lookups = true;
                    if (defaults.bootstrap() != null && defaults.bootstrap().isEmpty()) {
                        yaml.problem(items.get(i), itemKey, noAddress(server.spec()));
                    }
                }
            }
        }
        if (servers.size() < items.size() || defaults.tls() == null || defaults.bootstrap() == null) {
            return null;
        }
        TlsOptions effectiveTls = tls != null ? tls : encrypted ? defaults.tls() : TlsOptions.DEFAULT;
        List<String> bootstrap = lookups ? defaults.bootstrap() : List.of();
        return yaml.build(serversNode, key, () -> new GroupSpec(name, servers, iface, mark, effectiveTls, method, bootstrap));
    }

    /** One entry: {@code system} or a server URI (spec null for system). */
    private record Server(String entry, ServerSpec spec) {}

    private static Server server(YamlNodes yaml, Node node, String key) {
        String text = yaml.string(node, key);
        if (text == null) {
            return null;
        }
        if (text.toLowerCase(Locale.ROOT).equals("system")) {
            return new Server("system", null);
        }
        if (!text.contains("://")) {
            yaml.problem(node, key, "'" + text + "' is not system or a server: udp://IP[:PORT][@IFACE], "
                    + "tcp://IP[:PORT][@IFACE], tls://HOST[:PORT][@IP], https://HOST[:PORT]/PATH[@IP]");
            return null;
        }
        try {
            return new Server(text, ServerSpec.parse(text));
        } catch (IllegalArgumentException e) {
            yaml.problem(node, key, e.getMessage());
            return null;
        }
    }

    private static String noAddress(ServerSpec spec) {
        String host = spec.host();
        String withIp = spec.protocol().scheme() + "://" + host + (spec.port() == spec.protocol().defaultPort()
                ? "" : ":" + spec.port()) + (spec.path() == null ? "" : spec.path()) + "@IP";
        return spec.protocol().scheme() + "://" + host + " has no address to dial and there is no bootstrap: to look "
                + host + " up: write " + withIp + ", or add bootstrap: [\"udp://IP:53\"] (plain servers that resolve it)";
    }

    /** {@code bootstrap: [udp://IP:PORT, tcp://IP:PORT, system]}: plain servers only. */
    private static List<String> bootstrap(YamlNodes yaml, Node node) {
        int problems = yaml.problems().size();
        List<String> servers = yaml.list(node, "bootstrap", (item, key) -> {
            Server server = server(yaml, item, key);
            if (server != null && server.spec() != null && server.spec().protocol().encrypted()) {
                yaml.problem(item, key, "'" + server.entry() + "' is encrypted: bootstrap servers look up the names "
                        + "of encrypted servers, so they must be plain udp://, tcp:// or system");
                return null;
            }
            return server == null ? null : server.entry();
        });
        if (servers != null && servers.isEmpty() && yaml.problems().size() == problems) {
            yaml.problem(node, "bootstrap", "name at least one plain server, or leave bootstrap: out");
        }
        return yaml.problems().size() > problems ? null : servers;
    }

    private static String iface(YamlNodes yaml, Node node, String key) {
        String name = yaml.string(node, key);
        return name == null ? null : yaml.build(node, key, () -> new SocketBinding(name, null).iface());
    }

    /** A packet mark: {@code 0xca6c} or decimal, 1 to 0xffffffff (0 would mean no mark). */
    private static Long mark(YamlNodes yaml, Node node, String key) {
        String text = yaml.string(node, key);
        if (text == null) {
            return null;
        }
        try {
            long mark = Long.decode(text.replace("_", ""));
            if (mark >= 1 && mark <= 0xFFFF_FFFFL) {
                return mark;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        yaml.problem(node, key, "'" + text + "' is not a packet mark: 0x1 to 0xffffffff, as in 0xca6c");
        return null;
    }

    private static HttpsUpstream.Method method(YamlNodes yaml, Node node, String key) {
        String text = yaml.string(node, key);
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "post" -> HttpsUpstream.Method.POST;
            case "get" -> HttpsUpstream.Method.GET;
            default -> {
                yaml.problem(node, key, "'" + text + "' is not post or get");
                yield null;
            }
        };
    }

    private static String defaultUpstream(YamlNodes yaml, Node node, Map<String, GroupSpec> groups, Node root) {
        if (node == null) {
            if (groups.size() == 1) {
                return groups.keySet().iterator().next();
            }
            if (!groups.isEmpty()) {
                yaml.problem(root, "default-upstream", "missing: which of " + groups.keySet()
                        + " serves names that no route matches?");
            }
            return null;
        }
        return reference(yaml, node, "default-upstream", groups.keySet(), root);
    }

    /** Reads the name of an upstream group, which must exist; {@code parent} is where a missing one is reported. */
    static String reference(YamlNodes yaml, Node node, String key, Set<String> groups, Node parent) {
        if (node == null) {
            yaml.problem(parent, key, "missing: name an upstream group" + YamlNodes.known(groups));
            return null;
        }
        String name = yaml.string(node, key);
        if (name != null && !groups.contains(name)) {
            yaml.problem(node, key, "no upstream group named '" + name + "'" + YamlNodes.known(groups));
            return null;
        }
        return name;
    }
}
