package io.splitroute.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code upstreams:} (named groups of {@code udp://IP:PORT}, {@code tcp://IP:PORT}, {@code system}),
 * {@code upstream-timeout:} and {@code default-upstream:}.
 */
final class UpstreamsSection {
    static final Set<String> KEYS = Set.of("upstreams", "upstream-timeout", "default-upstream");

    private UpstreamsSection() {}

    /**
     * The upstream keys as read.
     *
     * @param groups         the groups by name, in config order
     * @param timeout        one attempt's timeout
     * @param defaultUpstream the group of unmatched names ({@code null} when {@code unlisted:} answers them)
     */
    record Upstreams(Map<String, List<String>> groups, Duration timeout, String defaultUpstream) {}

    static Upstreams read(YamlNodes yaml, Map<String, Node> top, Node root) {
        Map<String, List<String>> groups = groups(yaml, top.get("upstreams"), root);
        Duration timeout = top.containsKey("upstream-timeout")
                ? yaml.positive(top.get("upstream-timeout"), "upstream-timeout")
                : SplitrouteConfig.DEFAULT_UPSTREAM_TIMEOUT;
        if (top.containsKey("unlisted")) { // it answers the names no route matches, in place of default-upstream
            if (top.containsKey("default-upstream")) {
                yaml.problem(top.get("default-upstream"), "default-upstream", "unlisted: answers the names no route"
                        + " matches in its place; remove one of the two");
            }
            return new Upstreams(groups, timeout, null);
        }
        return new Upstreams(groups, timeout, defaultUpstream(yaml, top.get("default-upstream"), groups, root));
    }

    private static Map<String, List<String>> groups(YamlNodes yaml, Node node, Node root) {
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
            List<String> specs = yaml.list(value, key, (item, itemKey) -> spec(yaml, item, itemKey));
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

    private static String spec(YamlNodes yaml, Node node, String key) {
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

    private static String defaultUpstream(YamlNodes yaml, Node node, Map<String, List<String>> groups, Node root) {
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
