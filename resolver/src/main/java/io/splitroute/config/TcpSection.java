package io.splitroute.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code tcp: { idle-timeout, max-connections }} into a {@link TcpConfig}. */
final class TcpSection {
    static final Set<String> KEYS = Set.of("tcp");
    private static final Set<String> TCP_KEYS = Set.of("idle-timeout", "max-connections");

    private TcpSection() {}

    static TcpConfig read(YamlNodes yaml, Node node) {
        if (node == null) {
            return TcpConfig.DEFAULT;
        }
        Map<String, Node> fields = yaml.mapping(node, "tcp", TCP_KEYS);
        if (fields == null) {
            return null;
        }
        Duration idle = fields.containsKey("idle-timeout")
                ? yaml.positive(fields.get("idle-timeout"), "tcp.idle-timeout") : TcpConfig.DEFAULT.idleTimeout();
        Long max = fields.containsKey("max-connections")
                ? yaml.integer(fields.get("max-connections"), "tcp.max-connections", 1, TcpConfig.MAX_CONNECTIONS)
                : Long.valueOf(TcpConfig.DEFAULT.maxConnections());
        return idle == null || max == null ? null : yaml.build(node, "tcp", () -> new TcpConfig(idle, max.intValue()));
    }
}
