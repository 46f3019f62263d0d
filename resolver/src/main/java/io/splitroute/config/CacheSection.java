package io.splitroute.config;

import io.splitroute.cache.CacheConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code cache: { size, min-ttl, max-ttl, max-bytes, max-answer-bytes, stale, prefetch, persist }} into a
 * {@link CacheConfig}; a key left out keeps its default.
 */
final class CacheSection {
    static final Set<String> KEYS = Set.of("cache");
    private static final Set<String> CACHE_KEYS = Set.of("size", "min-ttl", "max-ttl", "max-bytes",
            "max-answer-bytes", "stale", "prefetch", "persist");

    private CacheSection() {}

    static CacheConfig read(YamlNodes yaml, Node node, Path baseDir) {
        if (node == null) {
            return CacheConfig.DEFAULT;
        }
        Map<String, Node> fields = yaml.mapping(node, "cache", CACHE_KEYS);
        if (fields == null) {
            return null;
        }
        CacheConfig d = CacheConfig.DEFAULT;
        Long size = integer(yaml, fields, "size", CacheConfig.MAX_SIZE, d.size());
        Long min = integer(yaml, fields, "min-ttl", CacheConfig.MAX_TTL, d.minTtl());
        Long max = integer(yaml, fields, "max-ttl", CacheConfig.MAX_TTL, d.maxTtl());
        Long maxBytes = bytes(yaml, fields, "max-bytes", d.maxBytes());
        Long maxAnswer = bytes(yaml, fields, "max-answer-bytes", d.maxAnswerBytes());
        Duration stale = fields.containsKey("stale") ? yaml.duration(fields.get("stale"), "cache.stale") : d.stale();
        if (stale != null && stale.compareTo(CacheConfig.MAX_STALE) > 0) {
            yaml.problem(fields.get("stale"), "cache.stale", "must be at most 7d (RFC 8767's cap), got "
                    + stale.toSeconds() + " s");
            stale = null;
        }
        Boolean prefetch = fields.containsKey("prefetch") ? yaml.bool(fields.get("prefetch"), "cache.prefetch")
                : Boolean.valueOf(d.prefetch());
        String persist = fields.containsKey("persist") ? yaml.string(fields.get("persist"), "cache.persist") : null;
        if (size == null || min == null || max == null || maxBytes == null || maxAnswer == null || stale == null
                || prefetch == null || fields.containsKey("persist") && persist == null) {
            return null;
        }
        Path file = persist == null ? null : baseDir.resolve(persist).normalize();
        Duration window = stale;
        return yaml.build(fields.getOrDefault("min-ttl", node), "cache.min-ttl",
                () -> new CacheConfig(size, min, max, maxBytes, maxAnswer, window, prefetch, file));
    }

    private static Long integer(YamlNodes yaml, Map<String, Node> fields, String name, long max, long fallback) {
        return fields.containsKey(name) ? yaml.integer(fields.get(name), "cache." + name, 0, max) : Long.valueOf(fallback);
    }

    /** Reads a byte count: {@code 12582912}, {@code 512k}, {@code 12m}, {@code 12MiB} (k, m, g are 1024-based). */
    private static Long bytes(YamlNodes yaml, Map<String, Node> fields, String name, long fallback) {
        return fields.containsKey(name) ? yaml.size(fields.get(name), "cache." + name, 0, CacheConfig.MAX_BYTES)
                : Long.valueOf(fallback);
    }
}
