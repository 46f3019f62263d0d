package io.splitroute.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything the routing scripts may touch in one namespace, as text: iptables and ip6tables rules of user
 * chains, nft's own tables, ipset names, ip rules, routes of every table and the sysctls the scripts set.
 * Counters, timers, empty built-in chains and the kernel's own routes are left out, so two snapshots are
 * equal when the state the scripts manage is.
 */
final class RuleSnapshot {

    private RuleSnapshot() {}

    /** Returns the snapshot of {@code ns}, whose tunnel interface is {@code tunnelIf}. */
    static String of(Netns ns, String tunnelIf) {
        List<String> parts = new ArrayList<>();
        for (String save : List.of("iptables-save", "ip6tables-save")) {
            parts.add(save + ":\n" + tables(ns.exec(save)));
        }
        parts.add("nft:\n" + nftTables(ns.exec("nft", "list", "ruleset")));
        parts.add("ipsets: " + ns.exec("ipset", "list", "-n"));
        for (String fam : List.of("-4", "-6")) {
            parts.add("rules " + fam + ":\n" + ns.exec("ip", fam, "rule", "show"));
            parts.add("routes " + fam + ":\n" + scriptRoutes(ns.exec("ip", fam, "route", "show", "table", "all")));
        }
        parts.add("sysctl: " + ns.exec("sysctl", "-e", "net.ipv4.ip_forward", "net.ipv4.conf.all.src_valid_mark",
                "net.ipv4.conf." + tunnelIf + ".rp_filter"));
        return String.join("\n", parts);
    }

    /**
     * Routes without the kernel's own (proto kernel: one per address, and IPv6 link-local ones that appear
     * some time after a link comes up), which no script adds or removes.
     */
    private static String scriptRoutes(String routes) {
        return routes.lines().filter(line -> !line.contains(" proto kernel ")).collect(Collectors.joining("\n"));
    }

    /** iptables-save output as "table rule" lines, user chains only, counters and comments dropped. */
    private static String tables(String save) {
        List<String> lines = new ArrayList<>();
        String table = "";
        for (String line : save.split("\n")) {
            if (line.startsWith("*")) {
                table = line.substring(1);
            } else if (line.startsWith("-A ")) {
                lines.add(table + " " + line);
            } else if (line.startsWith(":") && !line.matches(":(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) .*")) {
                lines.add(table + " " + line.split(" ")[0]);
            }
        }
        return lines.stream().sorted().collect(Collectors.joining("\n"));
    }

    /** nft's own tables, expiry timers dropped; iptables-nft's tables are left to iptables-save above. */
    private static String nftTables(String ruleset) {
        List<String> kept = new ArrayList<>();
        boolean skip = false;
        for (String line : ruleset.split("\n")) {
            if (line.startsWith("table ")) {
                skip = line.matches("table (ip|ip6) (filter|mangle|nat|raw|security) \\{");
            }
            if (!skip && !line.startsWith("#")) {
                kept.add(line.replaceAll("expires \\S+", ""));
            }
        }
        return String.join("\n", kept);
    }
}
