package io.splitroute.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.it.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped routing scripts on their own, in a namespace holding a stand-in tunnel interface and some
 * unrelated firewall state: {@code up} is idempotent, {@code down} removes exactly what {@code up} added,
 * {@code status} tells complete from incomplete.
 */
class RoutingScriptIT {

    private Netns ns;
    private Path stateDir;

    @BeforeEach
    void namespace() throws Exception {
        assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")),
                "needs root");
        for (String tool : List.of("ip", "iptables", "ip6tables", "ipset", "nft")) {
            assumeTrue(Executables.find(tool).isPresent(), tool + " is not installed");
        }
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);
        ns = Netns.create("sr-lab-" + id + "-script");
        stateDir = Files.createDirectories(Path.of("target").toAbsolutePath().resolve("script-state-" + id));
        // A veth stands in for the WireGuard interface: the scripts only route to it by name.
        ns.exec("ip", "link", "add", "wg0", "type", "veth", "peer", "name", "wg0peer");
        ns.exec("ip", "link", "set", "wg0", "up");
        // Unrelated state that must survive `down`.
        ns.exec("iptables", "-w", "-t", "mangle", "-N", "OTHER");
        ns.exec("iptables", "-w", "-t", "mangle", "-A", "PREROUTING", "-j", "OTHER");
        ns.exec("iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-o", "wg0peer", "-j", "MASQUERADE");
        ns.exec("ipset", "create", "other", "hash:ip");
        ns.exec("nft", "add", "table", "inet", "other");
        ns.exec("nft", "add", "chain", "inet", "other", "c");
        ns.exec("ip", "rule", "add", "fwmark", "0x1", "lookup", "100", "pref", "10000");
        ns.exec("ip", "route", "add", "unreachable", "default", "table", "100");
    }

    @AfterEach
    void remove() {
        if (ns != null) {
            ns.close();
        }
    }

    private Netns.Result script(RoutingFlavour flavour, String command) {
        return ns.execAllowingFailure("env", "CLEAN_DNS=203.0.113.53", "STATE_DIR=" + stateDir,
                "sh", flavour.script().toString(), command);
    }

    /** Everything the scripts may touch, normalised: no counters, no timers, no empty built-in tables. */
    private String snapshot() {
        List<String> parts = new ArrayList<>();
        for (String save : List.of("iptables-save", "ip6tables-save")) {
            parts.add(save + ":\n" + tables(ns.exec(save)));
        }
        parts.add("nft:\n" + nftTables(ns.exec("nft", "list", "ruleset")));
        parts.add("ipsets: " + ns.exec("ipset", "list", "-n"));
        for (String fam : List.of("-4", "-6")) {
            parts.add("rules " + fam + ":\n" + ns.exec("ip", fam, "rule", "show"));
            parts.add("routes " + fam + ":\n" + ns.exec("ip", fam, "route", "show", "table", "all"));
        }
        parts.add("sysctl: " + ns.exec("sysctl", "net.ipv4.ip_forward", "net.ipv4.conf.all.src_valid_mark",
                "net.ipv4.conf.wg0.rp_filter"));
        return String.join("\n", parts);
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

    @ParameterizedTest
    @EnumSource(RoutingFlavour.class)
    void down_removesExactlyWhatUpAdded(RoutingFlavour flavour) {
        String before = snapshot();

        assertThat(script(flavour, "up").exit()).isZero();
        assertThat(snapshot()).isNotEqualTo(before);
        assertThat(script(flavour, "down").exit()).isZero();

        assertThat(snapshot()).isEqualTo(before);
        assertThat(script(flavour, "down").exit()).as("a second down").isZero();
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(RoutingFlavour.class)
    void up_twice_sameStateAndSetElementsKept(RoutingFlavour flavour) {
        assertThat(script(flavour, "up").exit()).isZero();
        ns.exec(flavour == RoutingFlavour.NFT
                ? new String[] {"nft", "add", "element", "inet", "splitroute", "gfwlist", "{ 192.0.2.9 timeout 1h }"}
                : new String[] {"ipset", "add", "gfwlist", "192.0.2.9", "timeout", "3600"});
        String once = snapshot();

        Netns.Result again = script(flavour, "up");

        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(snapshot()).isEqualTo(once);
        assertThat(ns.execAllowingFailure(flavour.testElement("192.0.2.9")).exit()).as("element kept").isZero();
    }

    @ParameterizedTest
    @EnumSource(RoutingFlavour.class)
    void status_completeAfterUp_incompleteAfterDown(RoutingFlavour flavour) {
        assertThat(script(flavour, "status").exit()).as("before up").isNotZero();
        script(flavour, "up");

        Netns.Result up = script(flavour, "status");

        assertThat(up.exit()).as(up.output()).isZero();
        assertThat(up.output()).contains("set gfwlist: 0 entries").doesNotContain("MISSING");
        script(flavour, "down");
        Netns.Result down = script(flavour, "status");
        assertThat(down.exit()).isNotZero();
        assertThat(down.output()).contains("MISSING  ip rule fwmark 0xca6c lookup 51820");
    }

    @ParameterizedTest
    @EnumSource(RoutingFlavour.class)
    void up_withoutTunnelInterface_failsNamingIt(RoutingFlavour flavour) {
        ns.exec("ip", "link", "del", "wg0");

        Netns.Result result = script(flavour, "up");

        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("interface wg0 does not exist");
    }
}
