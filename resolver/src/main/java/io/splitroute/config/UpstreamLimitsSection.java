package io.splitroute.config;

import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code upstream-max-pending:} into {@link UpstreamLimits}; left out, the default. */
final class UpstreamLimitsSection {
    static final Set<String> KEYS = Set.of("upstream-max-pending");

    private UpstreamLimitsSection() {}

    static UpstreamLimits read(YamlNodes yaml, Map<String, Node> top) {
        Node node = top.get("upstream-max-pending");
        if (node == null) {
            return UpstreamLimits.DEFAULT;
        }
        Long max = yaml.integer(node, "upstream-max-pending", 1, UpstreamLimits.MAX_PENDING);
        return max == null ? null : new UpstreamLimits(max.intValue());
    }
}
