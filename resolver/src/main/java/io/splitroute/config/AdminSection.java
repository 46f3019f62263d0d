package io.splitroute.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads {@code admin: off|on|{ listen: "IP:PORT" }} into an {@link AdminConfig} and {@code query-log: on|off|{
 * enabled, file }} into a {@link QueryLogConfig}: the operator's side.
 */
final class AdminSection {
    static final Set<String> KEYS = Set.of("admin", "query-log");
    private static final Set<String> ADMIN_KEYS = Set.of("listen");
    private static final Set<String> QUERY_LOG_KEYS = Set.of("enabled", "file");

    private AdminSection() {}

    static AdminConfig admin(YamlNodes yaml, Node node) {
        if (node == null) {
            return AdminConfig.DEFAULT;
        }
        if (node instanceof ScalarNode) {
            Boolean on = yaml.bool(node, "admin");
            return on == null ? null : on ? AdminConfig.ON : AdminConfig.OFF;
        }
        Map<String, Node> fields = yaml.mapping(node, "admin", ADMIN_KEYS);
        if (fields == null) {
            return null;
        }
        if (!fields.containsKey("listen")) {
            return AdminConfig.ON;
        }
        ListenAddress listen = ListenSection.address(yaml, fields.get("listen"), "admin.listen");
        return listen == null ? null : new AdminConfig(listen, true);
    }

    /** @param baseDir a relative {@code file:} is resolved against it */
    static QueryLogConfig queryLog(YamlNodes yaml, Node node, Path baseDir) {
        if (node == null) {
            return QueryLogConfig.DEFAULT;
        }
        if (node instanceof ScalarNode) {
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
}
