package io.splitroute.config;

import io.splitroute.query.AaaaPolicy;
import io.splitroute.sets.SetsConfig;
import io.splitroute.unlisted.UnlistedConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code unlisted: { domestic, trusted, domestic-ips, poison-ips, sets, aaaa, verdict-cache }}: the groups,
 * IP lists and sets it names must exist.
 */
final class UnlistedSection {
    static final Set<String> KEYS = Set.of("unlisted");
    private static final Set<String> BLOCK_KEYS = Set.of("domestic", "trusted", "domestic-ips", "poison-ips", "sets",
            "aaaa", "verdict-cache");

    private UnlistedSection() {}

    /** Returns the block, or {@code null} when there is none or it has problems (reported). */
    static UnlistedConfig read(YamlNodes yaml, Node node, Set<String> upstreams, Set<String> ipLists, SetsConfig sets) {
        if (node == null) {
            return null;
        }
        Map<String, Node> f = yaml.mapping(node, "unlisted", BLOCK_KEYS);
        if (f == null) {
            return null;
        }
        String domestic = UpstreamsSection.reference(yaml, f.get("domestic"), "unlisted.domestic", upstreams, node);
        String trusted = UpstreamsSection.reference(yaml, f.get("trusted"), "unlisted.trusted", upstreams, node);
        List<String> domesticIps = RoutesSection.names(yaml, f.get("domestic-ips"), "unlisted.domestic-ips", ipLists,
                "IP list", "ip-lists:");
        if (!f.containsKey("domestic-ips")) {
            yaml.problem(node, "unlisted.domestic-ips", "missing: the IP lists that make an answer domestic, e.g."
                    + " [chnroute] with ip-lists: { chnroute: { file: bundled:chnroute } }");
        }
        List<String> poisonIps = RoutesSection.names(yaml, f.get("poison-ips"), "unlisted.poison-ips", ipLists,
                "IP list", "ip-lists:");
        List<String> setNames = RoutesSection.names(yaml, f.get("sets"), "unlisted.sets",
                sets == null ? Set.of() : sets.sets().keySet(), "set", "sets:");
        AaaaPolicy aaaa = RoutesSection.aaaa(yaml, f.get("aaaa"), "unlisted.aaaa", setNames, sets);
        Long verdictCache = f.containsKey("verdict-cache")
                ? yaml.integer(f.get("verdict-cache"), "unlisted.verdict-cache", 0, 10_000_000)
                : Long.valueOf(UnlistedConfig.DEFAULT_VERDICT_CACHE);
        if (domestic != null && domestic.equals(trusted)) {
            yaml.problem(f.get("trusted"), "unlisted.trusted", "the same group as domestic: the trusted answer must"
                    + " come from another group (the one reached through the tunnel)");
            return null;
        }
        if (domesticIps != null && domesticIps.isEmpty() && f.containsKey("domestic-ips")) {
            yaml.problem(f.get("domestic-ips"), "unlisted.domestic-ips", "empty: name at least one IP list");
            return null;
        }
        if (domestic == null || trusted == null || domesticIps == null || !f.containsKey("domestic-ips")
                || poisonIps == null || setNames == null || aaaa == null || verdictCache == null) {
            return null;
        }
        return yaml.build(node, "unlisted", () -> new UnlistedConfig(domestic, trusted,
                domesticIps, poisonIps, setNames, aaaa, verdictCache.intValue(), YamlNodes.line(node)));
    }
}
