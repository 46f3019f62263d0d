package io.splitroute.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads {@code admin: off|on|{ listen, allow, token-file, names }} into an {@link AdminConfig} and {@code query-log:
 * on|off|{ enabled, file, max-size, keep }} into a {@link QueryLogConfig}: the operator's side.
 */
final class AdminSection {
    static final Set<String> KEYS = Set.of("admin", "query-log");
    private static final Set<String> ADMIN_KEYS = Set.of("listen", "allow", "token-file", "names");
    private static final Set<String> QUERY_LOG_KEYS = Set.of("enabled", "file", "max-size", "keep");

    private AdminSection() {}

    /** @param baseDir a relative {@code token-file} is resolved against it */
    static AdminConfig admin(YamlNodes yaml, Node node, Path baseDir) {
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
        ListenAddress listen = fields.containsKey("listen")
                ? ListenSection.address(yaml, fields.get("listen"), "admin.listen") : AdminConfig.DEFAULT.listen();
        List<String> allow = fields.containsKey("allow")
                ? yaml.list(fields.get("allow"), "admin.allow", (item, key) -> AclSection.cidr(yaml, item, key)) : null;
        String token = fields.containsKey("token-file") ? yaml.string(fields.get("token-file"), "admin.token-file") : null;
        List<String> names = fields.containsKey("names") ? yaml.strings(fields.get("names"), "admin.names") : List.of();
        if (listen == null || (fields.containsKey("allow") && allow == null)
                || (fields.containsKey("token-file") && token == null) || names == null) {
            return null;
        }
        return yaml.build(fields.getOrDefault("listen", node), "admin",
                () -> new AdminConfig(listen, true, allow, token == null ? null : baseDir.resolve(token), names));
    }

    /** @param baseDir a relative {@code file:} is resolved against it */
    static QueryLogConfig queryLog(YamlNodes yaml, Node node, Path baseDir) {
        if (node == null) {
            return QueryLogConfig.DEFAULT;
        }
        if (node instanceof ScalarNode) {
            Boolean on = yaml.bool(node, "query-log");
            return on == null ? null : QueryLogConfig.toStderr(on);
        }
        Map<String, Node> fields = yaml.mapping(node, "query-log", QUERY_LOG_KEYS);
        if (fields == null) {
            return null;
        }
        Boolean enabled = fields.containsKey("enabled") ? yaml.bool(fields.get("enabled"), "query-log.enabled") : Boolean.FALSE;
        String file = fields.containsKey("file") ? yaml.string(fields.get("file"), "query-log.file") : null;
        Long maxSize = fields.containsKey("max-size")
                ? yaml.size(fields.get("max-size"), "query-log.max-size", QueryLogConfig.MIN_SIZE, Long.MAX_VALUE)
                : Long.valueOf(QueryLogConfig.DEFAULT_MAX_SIZE);
        Long keep = fields.containsKey("keep")
                ? yaml.integer(fields.get("keep"), "query-log.keep", 0, QueryLogConfig.MAX_KEEP)
                : Long.valueOf(QueryLogConfig.DEFAULT_KEEP);
        if (enabled == null || (fields.containsKey("file") && file == null) || maxSize == null || keep == null) {
            return null;
        }
        return new QueryLogConfig(enabled, file == null ? null : baseDir.resolve(file), maxSize, keep.intValue());
    }
}
