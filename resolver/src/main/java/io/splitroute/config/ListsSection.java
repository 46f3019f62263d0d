package io.splitroute.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code lists: NAME: { file, url, format, refresh, min-rules, max-shrink, max-bytes }}. */
final class ListsSection {
    static final Set<String> KEYS = Set.of("lists");
    private static final Set<String> LIST_KEYS = Set.of("file", "url", "format", "refresh", "min-rules", "max-shrink",
            "max-bytes");

    private ListsSection() {}

    /** @param baseDir relative {@code file:} paths are resolved against it */
    static Map<String, ListConfig> read(YamlNodes yaml, Node node, Path baseDir) {
        Map<String, ListConfig> lists = new LinkedHashMap<>();
        if (node == null) {
            return lists;
        }
        Map<String, Node> entries = yaml.mapping(node, "lists", null);
        if (entries == null) {
            return lists;
        }
        entries.forEach((name, value) -> {
            ListConfig list = list(yaml, name, value, baseDir);
            if (list != null) {
                lists.put(name, list);
            }
        });
        return lists;
    }

    private static ListConfig list(YamlNodes yaml, String name, Node value, Path baseDir) {
        String key = "lists." + name;
        Map<String, Node> fields = yaml.mapping(value, key, LIST_KEYS);
        if (fields == null) {
            return null;
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
            if (format != null && !ListConfig.FORMATS.contains(format)) {
                yaml.problem(fields.get("format"), key + ".format",
                        "'" + format + "' is not one of gfwlist, dnsmasq, domains, v2fly");
                format = null;
            }
        }
        Duration refresh = fields.containsKey("refresh") ? yaml.positive(fields.get("refresh"), key + ".refresh") : null;
        if (refresh != null && url == null) {
            yaml.problem(fields.get("refresh"), key + ".refresh", "needs a url: to download from");
            refresh = null;
        }
        Long minRules = fields.containsKey("min-rules")
                ? yaml.integer(fields.get("min-rules"), key + ".min-rules", 0, 100_000_000)
                : Long.valueOf(ListConfig.DEFAULT_MIN_RULES);
        Double maxShrink = fields.containsKey("max-shrink")
                ? yaml.fraction(fields.get("max-shrink"), key + ".max-shrink") : Double.valueOf(ListConfig.DEFAULT_MAX_SHRINK);
        Long maxBytes = fields.containsKey("max-bytes")
                ? yaml.size(fields.get("max-bytes"), key + ".max-bytes", 1, ListConfig.MAX_MAX_BYTES)
                : Long.valueOf(ListConfig.DEFAULT_MAX_BYTES);
        if (file == null || minRules == null || maxShrink == null || maxBytes == null) {
            return null;
        }
        Path path = file.startsWith("bundled:") ? Path.of(file) : baseDir.resolve(file).normalize();
        String format1 = format;
        Duration refresh1 = refresh;
        return yaml.build(value, key, () -> new ListConfig(name, path, url, format1, refresh1, minRules.intValue(),
                maxShrink, maxBytes, YamlNodes.line(value)));
    }
}
