package io.splitroute.config;

import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code listen: ["IP:PORT", ...]}: the addresses served, UDP and TCP on each. */
final class ListenSection {
    static final Set<String> KEYS = Set.of("listen");

    private ListenSection() {}

    static List<ListenAddress> read(YamlNodes yaml, Node node) {
        if (node == null) {
            return SplitrouteConfig.DEFAULT_LISTEN;
        }
        List<ListenAddress> listen = yaml.list(node, "listen", (item, key) -> address(yaml, item, key));
        if (YamlNodes.isEmptyList(node)) {
            yaml.problem(node, "listen", "give at least one address to listen on");
        }
        return listen;
    }

    /** Reads one {@code IP:PORT}, {@code [IPv6]:PORT} or bare IP (port 53). */
    static ListenAddress address(YamlNodes yaml, Node node, String key) {
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
}
