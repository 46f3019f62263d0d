package io.splitroute.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code tcp: { idle-timeout, max-connections, max-per-client, frame-timeout, max-inflight }} into a
 * {@link TcpConfig}.
 */
final class TcpSection {
    static final Set<String> KEYS = Set.of("tcp");
    private static final Set<String> TCP_KEYS = Set.of("idle-timeout", "max-connections", "max-per-client",
            "frame-timeout", "max-inflight");

    private TcpSection() {}

    static TcpConfig read(YamlNodes yaml, Node node) {
        if (node == null) {
            return TcpConfig.DEFAULT;
        }
        Map<String, Node> fields = yaml.mapping(node, "tcp", TCP_KEYS);
        if (fields == null) {
            return null;
        }
        TcpConfig d = TcpConfig.DEFAULT;
        Duration idle = duration(yaml, fields, "idle-timeout", d.idleTimeout());
        Duration frame = duration(yaml, fields, "frame-timeout", d.frameTimeout());
        Long max = integer(yaml, fields, "max-connections", TcpConfig.MAX_CONNECTIONS, d.maxConnections());
        // Left out, the cap per client follows a total lowered below it.
        Long perClient = integer(yaml, fields, "max-per-client", TcpConfig.MAX_CONNECTIONS,
                fields.containsKey("max-per-client") || max == null ? d.maxPerClient()
                        : Math.min(d.maxPerClient(), max.intValue()));
        Long inflight = integer(yaml, fields, "max-inflight", TcpConfig.MAX_INFLIGHT, d.maxInflight());
        if (idle == null || frame == null || max == null || perClient == null || inflight == null) {
            return null;
        }
        return yaml.build(node, "tcp", () -> new TcpConfig(idle, max.intValue(), perClient.intValue(), frame,
                inflight.intValue()));
    }

    private static Duration duration(YamlNodes yaml, Map<String, Node> fields, String key, Duration fallback) {
        return fields.containsKey(key) ? yaml.positive(fields.get(key), "tcp." + key) : fallback;
    }

    private static Long integer(YamlNodes yaml, Map<String, Node> fields, String key, long max, long fallback) {
        return fields.containsKey(key) ? yaml.integer(fields.get(key), "tcp." + key, 1, max) : Long.valueOf(fallback);
    }
}
