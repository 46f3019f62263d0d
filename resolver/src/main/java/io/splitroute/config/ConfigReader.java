package io.splitroute.config;

import io.splitroute.cache.CacheConfig;
import io.splitroute.sets.SetsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads one document's top-level mapping: each section goes to its reader ({@code *Section}, one per section,
 * each owning its top-level keys), which records problems instead of throwing. Adding a section is a reader,
 * a record, one line here and one component of {@link SplitrouteConfig}.
 */
final class ConfigReader {
    /** Every top-level key: the union of the sections' keys. */
    private static final Set<String> TOP_KEYS = union(ListenSection.KEYS, AclSection.KEYS, UpstreamsSection.KEYS,
            ListsSection.KEYS, SetsSection.KEYS, RoutesSection.KEYS, CacheSection.KEYS, TcpSection.KEYS,
            AdminSection.KEYS, UpstreamLimitsSection.KEYS, TlsSection.KEYS);

    private ConfigReader() {}

    /** Returns the config, or {@code null} when {@code yaml} holds problems afterwards. */
    static SplitrouteConfig read(YamlNodes yaml, Node root, String source, Path baseDir) {
        Map<String, Node> top = yaml.mapping(root, "", TOP_KEYS);
        if (top == null) {
            return null;
        }
        List<ListenAddress> listen = ListenSection.read(yaml, top.get("listen"));
        UpstreamsSection.Upstreams upstreams = UpstreamsSection.read(yaml, top, root, baseDir);
        Map<String, ListConfig> lists = ListsSection.read(yaml, top.get("lists"), baseDir);
        SetsConfig sets = SetsSection.read(yaml, top, baseDir);
        // Routes refer to the upstream groups, lists and sets by name: read after them.
        List<RouteConfig> routes = RoutesSection.read(yaml, top.get("routes"), upstreams.groups().keySet(),
                lists.keySet(), sets);
        CacheConfig cache = CacheSection.read(yaml, top.get("cache"), baseDir);
        List<String> acl = AclSection.read(yaml, top.get("acl"));
        TcpConfig tcp = TcpSection.read(yaml, top.get("tcp"));
        AdminConfig admin = AdminSection.admin(yaml, top.get("admin"), baseDir);
        QueryLogConfig queryLog = AdminSection.queryLog(yaml, top.get("query-log"), baseDir);
        UpstreamLimits upstreamLimits = UpstreamLimitsSection.read(yaml, top);
        if (!yaml.problems().isEmpty()) {
            return null;
        }
        Duration timeout = upstreams.timeout();
        return new SplitrouteConfig(source, listen, upstreams.groups(), routes, upstreams.defaultUpstream(), cache,
                acl, timeout, tcp, lists, sets, admin, queryLog, upstreamLimits);
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... keys) {
        Set<String> all = new HashSet<>();
        for (Set<String> k : keys) {
            all.addAll(k);
        }
        return Set.copyOf(all);
    }
}
