package io.splitroute.config;

import io.splitroute.sets.NeverRouteConfig;
import io.splitroute.sets.SetConfig;
import io.splitroute.sets.SetTimeout;
import io.splitroute.sets.SetsConfig;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.NftSetTarget;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.SetTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads the kernel-set keys into a {@link SetsConfig}: {@code sets: NAME: { type, name, table, family, create,
 * set-type, timeout, hashsize, maxelem, on-error }}, {@code set-timeout: { min, max, grace }},
 * {@code set-write-deadline:}, {@code set-max-addresses:}, and {@code never-route:} /
 * {@code never-route-wireguard:} ({@link NeverRouteSection}).
 */
final class SetsSection {
    static final Set<String> KEYS = Set.of("sets", "set-timeout", "set-write-deadline", "set-max-addresses",
            "never-route", "never-route-wireguard");
    private static final Set<String> SET_KEYS = Set.of("type", "name", "table", "family", "create", "set-type",
            "timeout", "hashsize", "maxelem", "on-error");
    private static final Set<String> TIMEOUT_KEYS = Set.of("min", "max", "grace");

    private SetsSection() {}

    static SetsConfig read(YamlNodes yaml, Map<String, Node> top, Path baseDir) {
        Map<String, SetConfig> sets = top.containsKey("sets") ? sets(yaml, top.get("sets")) : Map.of();
        SetTimeout timeout = top.containsKey("set-timeout") ? timeout(yaml, top.get("set-timeout")) : SetTimeout.DEFAULT;
        Duration deadline = top.containsKey("set-write-deadline")
                ? yaml.positive(top.get("set-write-deadline"), "set-write-deadline") : SetsConfig.DEFAULT_WRITE_DEADLINE;
        Long maxAddresses = top.containsKey("set-max-addresses") ? yaml.integer(top.get("set-max-addresses"),
                "set-max-addresses", 1, SetsConfig.MAX_MAX_ADDRESSES) : Long.valueOf(SetsConfig.DEFAULT_MAX_ADDRESSES);
        NeverRouteConfig neverRoute = NeverRouteSection.read(yaml, top, baseDir);
        if (sets == null || timeout == null || deadline == null || maxAddresses == null || neverRoute == null) {
            return null;
        }
        return new SetsConfig(sets, timeout, deadline, maxAddresses.intValue(), neverRoute);
    }

    private static Map<String, SetConfig> sets(YamlNodes yaml, Node node) {
        Map<String, SetConfig> sets = new LinkedHashMap<>();
        Map<String, Node> entries = yaml.mapping(node, "sets", null);
        if (entries == null) {
            return sets;
        }
        entries.forEach((name, value) -> {
            SetConfig set = set(yaml, name, value, "sets." + name);
            if (set != null) {
                sets.put(name, set);
            }
        });
        return sets;
    }

    private static SetConfig set(YamlNodes yaml, String configName, Node value, String key) {
        Map<String, Node> f = yaml.mapping(value, key, SET_KEYS);
        if (f == null) {
            return null;
        }
        String type = f.containsKey("type") ? yaml.string(f.get("type"), key + ".type") : null;
        if (!f.containsKey("type")) {
            yaml.problem(value, key + ".type", "missing: ipset or nftset");
        } else if (type != null && !type.equals("ipset") && !type.equals("nftset")) {
            yaml.problem(f.get("type"), key + ".type", "'" + type + "' is not ipset or nftset");
            type = null;
        }
        String setName = f.containsKey("name") ? yaml.string(f.get("name"), key + ".name") : configName;
        AddressFamily family = family(yaml, f.get("family"), key + ".family");
        Boolean create = f.containsKey("create") ? yaml.bool(f.get("create"), key + ".create") : Boolean.FALSE;
        String setType = f.containsKey("set-type") ? yaml.string(f.get("set-type"), key + ".set-type")
                : SetConfig.DEFAULT_SET_TYPE;
        if (setType != null && !SetConfig.SET_TYPES.contains(setType)) {
            yaml.problem(f.get("set-type"), key + ".set-type", "'" + setType + "' is not hash:ip or hash:net");
        }
        Duration timeout = f.containsKey("timeout") ? yaml.duration(f.get("timeout"), key + ".timeout") : Duration.ZERO;
        Long hashSize = f.containsKey("hashsize") ? yaml.integer(f.get("hashsize"), key + ".hashsize",
                SetConfig.MIN_HASHSIZE, SetConfig.MAX_HASHSIZE) : Long.valueOf(SetConfig.DEFAULT_HASHSIZE);
        Long maxElem = f.containsKey("maxelem") ? yaml.integer(f.get("maxelem"), key + ".maxelem",
                SetConfig.MIN_MAXELEM, SetConfig.MAX_MAXELEM) : Long.valueOf(SetConfig.DEFAULT_MAXELEM);
        SetConfig.OnError onError = onError(yaml, f.get("on-error"), key + ".on-error");
        SetTarget target = null;
        if ("ipset".equals(type) && setName != null && family != null) {
            if (f.containsKey("table")) {
                yaml.problem(f.get("table"), key + ".table", "an ipset has no table (that is for nftset)");
            }
            Node nameNode = f.getOrDefault("name", value);
            target = yaml.build(nameNode, key + ".name", () -> new IpsetTarget(setName, family));
        } else if ("nftset".equals(type) && setName != null && family != null) {
            target = nftTarget(yaml, value, f.get("table"), key + ".table", setName, family);
        }
        if (target == null || create == null || setType == null || timeout == null || hashSize == null
                || maxElem == null || onError == null) {
            return null;
        }
        SetTarget kernelSet = target;
        return yaml.build(value, key, () -> new SetConfig(configName, kernelSet, create,
                new SetSpec(kernelSet, setType, timeout, hashSize.intValue(), maxElem.intValue()), onError,
                YamlNodes.line(value)));
    }

    private static AddressFamily family(YamlNodes yaml, Node node, String key) {
        if (node == null) {
            return AddressFamily.INET;
        }
        String text = yaml.string(node, key);
        if ("inet6".equals(text)) {
            return AddressFamily.INET6;
        }
        if (text != null && !"inet".equals(text)) {
            yaml.problem(node, key, "'" + text + "' is not inet (IPv4) or inet6 (IPv6)");
        }
        return AddressFamily.INET;
    }

    private static SetConfig.OnError onError(YamlNodes yaml, Node node, String key) {
        if (node == null) {
            return SetConfig.OnError.ANSWER;
        }
        String text = yaml.string(node, key);
        if ("servfail".equals(text)) {
            return SetConfig.OnError.SERVFAIL;
        }
        if (text != null && !"answer".equals(text)) {
            yaml.problem(node, key, "'" + text + "' is not answer or servfail");
        }
        return SetConfig.OnError.ANSWER;
    }

    /** {@code table: "FAMILY NAME"}, required for an nftset. */
    private static SetTarget nftTarget(YamlNodes yaml, Node set, Node node, String key, String setName,
                                       AddressFamily family) {
        if (node == null) {
            yaml.problem(set, key, "missing: the nftables table as \"FAMILY NAME\", e.g. \"inet fw4\"");
            return null;
        }
        String table = yaml.string(node, key);
        if (table == null) {
            return null;
        }
        String[] parts = table.trim().split("\\s+");
        if (parts.length != 2 || !SetConfig.TABLE_FAMILIES.contains(parts[0])) {
            yaml.problem(node, key, "'" + table + "' is not \"FAMILY NAME\" with FAMILY ip, ip6 or inet (e.g. \"inet fw4\")");
            return null;
        }
        return yaml.build(node, key, () -> new NftSetTarget(parts[0], parts[1], setName, family));
    }

    private static SetTimeout timeout(YamlNodes yaml, Node node) {
        Map<String, Node> f = yaml.mapping(node, "set-timeout", TIMEOUT_KEYS);
        if (f == null) {
            return null;
        }
        SetTimeout d = SetTimeout.DEFAULT;
        Duration min = f.containsKey("min") ? yaml.duration(f.get("min"), "set-timeout.min") : d.min();
        Duration max = f.containsKey("max") ? yaml.duration(f.get("max"), "set-timeout.max") : d.max();
        Duration grace = f.containsKey("grace") ? yaml.duration(f.get("grace"), "set-timeout.grace") : d.grace();
        if (min == null || max == null || grace == null) {
            return null;
        }
        if (max.compareTo(SetTimeout.KERNEL_MAX) > 0) {
            yaml.problem(f.get("max"), "set-timeout.max", "the kernel's limit is " + SetTimeout.KERNEL_MAX.toSeconds() + " s");
            return null;
        }
        return yaml.build(f.getOrDefault("min", node), "set-timeout.min", () -> new SetTimeout(min, max, grace));
    }
}
