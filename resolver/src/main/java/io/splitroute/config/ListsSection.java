package io.splitroute.config;

import io.splitroute.lists.update.ListSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the lists: {@code lists: NAME: { file, url, format, refresh, min-rules, max-shrink, max-bytes }} (domain
 * lists) and {@code ip-lists: NAME: { file, url, format: cidr, refresh, min-rules, max-shrink, max-bytes }} (IP
 * lists). Both kinds are downloaded and judged alike, so they share every key but {@code format}.
 */
final class ListsSection {
    static final Set<String> KEYS = Set.of("lists", "ip-lists");
    private static final Set<String> LIST_KEYS = Set.of("file", "url", "format", "refresh", "min-rules", "max-shrink",
            "max-bytes");

    private ListsSection() {}

    /** Reads {@code lists:}; relative {@code file:} paths are resolved against {@code baseDir}. */
    static Map<String, ListConfig> read(YamlNodes yaml, Node node, Path baseDir) {
        return entries(yaml, node, "lists", (name, value) -> list(yaml, name, value, baseDir));
    }

    /**
     * Reads {@code ip-lists:}; a name already taken by a domain list is reported (list names tag the same
     * meters and log lines).
     */
    static Map<String, IpListConfig> readIp(YamlNodes yaml, Node node, Path baseDir, Set<String> domainLists) {
        return entries(yaml, node, "ip-lists", (name, value) -> {
            if (domainLists.contains(name)) {
                yaml.problem(value, "ip-lists." + name, "a domain list under lists: is already called '" + name
                        + "'; give the IP list another name");
                return null;
            }
            return ipList(yaml, name, value, baseDir);
        });
    }

    private static <T> Map<String, T> entries(YamlNodes yaml, Node node, String key, BiFunction<String, Node, T> read) {
        Map<String, T> lists = new LinkedHashMap<>();
        if (node == null) {
            return lists;
        }
        Map<String, Node> entries = yaml.mapping(node, key, null);
        if (entries == null) {
            return lists;
        }
        entries.forEach((name, value) -> {
            T list = read.apply(name, value);
            if (list != null) {
                lists.put(name, list);
            }
        });
        return lists;
    }

    private static ListConfig list(YamlNodes yaml, String name, Node value, Path baseDir) {
        String key = "lists." + name;
        Common c = common(yaml, key, value, baseDir);
        if (c == null) {
            return null;
        }
        String format = null;
        if (c.fields.containsKey("format")) {
            Node node = c.fields.get("format");
            format = yaml.string(node, key + ".format");
            if (IpListConfig.FORMAT.equals(format)) {
                yaml.problem(node, key + ".format", ListConfig.CIDR_UNDER_LISTS);
                return null;
            } else if (format != null && !ListConfig.FORMATS.contains(format)) {
                yaml.problem(node, key + ".format", "'" + format + "' is not one of gfwlist, dnsmasq, domains, v2fly");
                format = null;
            }
        }
        if (!c.complete()) {
            return null;
        }
        String format1 = format;
        return yaml.build(value, key, () -> new ListConfig(name, c.file, c.url, format1, c.refresh,
                c.minRules.intValue(), c.maxShrink, c.maxBytes, YamlNodes.line(value)));
    }

    private static IpListConfig ipList(YamlNodes yaml, String name, Node value, Path baseDir) {
        String key = "ip-lists." + name;
        Common c = common(yaml, key, value, baseDir);
        if (c == null) {
            return null;
        }
        if (c.fields.containsKey("format")) {
            Node node = c.fields.get("format");
            String format = yaml.string(node, key + ".format");
            if (format != null && !format.equals(IpListConfig.FORMAT)) {
                yaml.problem(node, key + ".format", "'" + format + "' is not cidr, the one format of IP lists"
                        + " (domain lists go under lists:)");
                return null;
            }
        }
        if (!c.complete()) {
            return null;
        }
        return yaml.build(value, key, () -> new IpListConfig(name, c.file, c.url, c.refresh, c.minRules.intValue(),
                c.maxShrink, c.maxBytes, YamlNodes.line(value)));
    }

    /** The keys both kinds share, as read; a field is {@code null} when it was wrong (and reported). */
    private record Common(Map<String, Node> fields, Path file, String url, Duration refresh, Long minRules,
                          Double maxShrink, Long maxBytes) {
        boolean complete() {
            return file != null && minRules != null && maxShrink != null && maxBytes != null;
        }
    }

    private static Common common(YamlNodes yaml, String key, Node value, Path baseDir) {
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
        Path path = file == null ? null : file.startsWith("bundled:") ? Path.of(file) : baseDir.resolve(file).normalize();
        return new Common(fields, path, url, refresh, minRules, maxShrink, maxBytes);
    }
}
