package io.splitroute.config;

import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code cache: { size, min-ttl, max-ttl }} into a {@link CacheConfig}; a key left out keeps its default. */
final class CacheSection {
    static final Set<String> KEYS = Set.of("cache");
    private static final Set<String> CACHE_KEYS = Set.of("size", "min-ttl", "max-ttl");

    private CacheSection() {}

    static CacheConfig read(YamlNodes yaml, Node node) {
        if (node == null) {
            return CacheConfig.DEFAULT;
        }
        Map<String, Node> fields = yaml.mapping(node, "cache", CACHE_KEYS);
        if (fields == null) {
            return null;
        }
        CacheConfig d = CacheConfig.DEFAULT;
        Long size = fields.containsKey("size")
                ? yaml.integer(fields.get("size"), "cache.size", 0, CacheConfig.MAX_SIZE) : Long.valueOf(d.size());
        Long min = fields.containsKey("min-ttl")
                ? yaml.integer(fields.get("min-ttl"), "cache.min-ttl", 0, CacheConfig.MAX_TTL) : Long.valueOf(d.minTtl());
        Long max = fields.containsKey("max-ttl")
                ? yaml.integer(fields.get("max-ttl"), "cache.max-ttl", 0, CacheConfig.MAX_TTL) : Long.valueOf(d.maxTtl());
        if (size == null || min == null || max == null) {
            return null;
        }
        return yaml.build(fields.getOrDefault("min-ttl", node), "cache.min-ttl", () -> new CacheConfig(size, min, max));
    }
}
