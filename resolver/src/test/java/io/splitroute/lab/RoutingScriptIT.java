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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped routing scripts on their own, in a namespace holding a stand-in tunnel interface and some
 * unrelated firewall state: {@code up} is idempotent, {@code down} removes exactly what {@code up} added,
 * {@code status} tells complete from incomplete, a bad setting changes nothing, marking keeps other mark
 * bits, and WireGuard's own packets are never marked.
 */
class RoutingScriptIT {

    private Netns ns;
    private Path stateDir;

    @BeforeEach
    void namespace() throws Exception {
        assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")),
                "needs root");
        for (String tool : List.of("ip", "iptables", "ip6tables", "ipset", "nft", "bash")) {
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

    private Netns.Result script(RoutingFlavour flavour, String command, String... settings) {
        List<String> env = new ArrayList<>(List.of("env", "CLEAN_DNS=203.0.113.53", "STATE_DIR=" + stateDir));
        env.addAll(List.of(settings));
        env.addAll(List.of("sh", flavour.script().toString(), command));
        return ns.execAllowingFailure(env.toArray(String[]::new));
    }

    private String snapshot() {
        return RuleSnapshot.of(ns, "wg0");
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
        assertThat(down.output()).contains("MISSING  ip rule fwmark 0xca6c/0xca6c lookup 51820");
    }

    @ParameterizedTest
    @EnumSource(RoutingFlavour.class)
    void up_withoutTunnelInterface_failsNamingItAndBlocksListedTraffic(RoutingFlavour flavour) {
        ns.exec("ip", "link", "del", "wg0");
        String before = snapshot();

        Netns.Result result = script(flavour, "up");

        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("interface wg0 does not exist");
        // Fail closed: marked traffic is looked up in the tunnel's table, which holds only the unreachable route.
        assertThat(ns.exec("ip", "rule", "show", "fwmark", "0xca6c/0xca6c")).contains("lookup 51820");
        assertThat(ns.exec("ip", "route", "show", "table", "51820")).isEqualTo("unreachable default metric 65535 \n");
        script(flavour, "down");
        assertThat(snapshot()).isEqualTo(before);
    }

    /** A setting's bad value, and the part of it the error must quote. */
    private record Bad(String setting, String value, String quoted) {
        Bad(String setting, String value) {
            this(setting, value, value);
        }
    }

    private static List<Bad> badSettings(RoutingFlavour flavour) {
        List<Bad> bad = new ArrayList<>(List.of(
                new Bad("WG_IF", "wg0; table ip evil {"),
                // Closes the quoted name in the nft script's ruleset and adds a table of its own.
                new Bad("LAN_IF", "lan0\" accept; add table ip evil; add rule inet splitroute prerouting iifname \"lan0"),
                new Bad("SET", "gfw list"),
                new Bad("SET6", "gfw6;evil"),
                new Bad("MARK", "0xca6g"),
                new Bad("MARK", "51820"),
                new Bad("TABLE", "main"),
                new Bad("RULE_PREF", "99999"),
                new Bad("CLEAN_DNS", "203.0.113.53 203.0.113.256", "203.0.113.256"),
                new Bad("WG_ENDPOINT", "198.51.100.1;", "198.51.100.1;"),
                new Bad("WG_FWMARK", "0x1 accept"),
                // WireGuard's packets would carry the tunnel's mark: wg-quick's FwMark = 51820 is 0xca6c.
                new Bad("WG_FWMARK", "51820")));
        bad.add(flavour == RoutingFlavour.NFT
                ? new Bad("NFT_TABLE", "splitroute { }")
                : new Bad("CHAIN", "SPLIT ROUTE"));
        return bad;
    }

    @ParameterizedTest
    @EnumSource(RoutingFlavour.class)
    void badSetting_rejectedNamingSettingAndValue_nothingChanged(RoutingFlavour flavour) {
        assertThat(script(flavour, "up").exit()).isZero();
        String before = snapshot();
        List<String> accepted = new ArrayList<>();

        for (Bad bad : badSettings(flavour)) {
            for (String command : List.of("up", "status", "down")) {
                Netns.Result result = script(flavour, command, bad.setting() + "=" + bad.value());
                if (result.exit() == 0 || !result.output().contains(bad.setting() + ": ")
                        || !result.output().contains("'" + bad.quoted() + "'")) {
                    accepted.add(command + " with " + bad.setting() + "=" + bad.value() + ": exit " + result.exit()
                            + ", " + result.output().strip());
                }
            }
        }

        assertThat(accepted).as("bad values not refused with the setting and the value").isEmpty();
        assertThat(snapshot()).as("state after up, status and down with each bad value").isEqualTo(before);
    }

    /** A second way out (the ISP) as the main table's default route, and the stand-in tunnel's peer up. */
    private PacketPath twoWaysOut() {
        ns.exec("ip", "link", "set", "wg0peer", "up");
        ns.exec("ip", "link", "add", "isp0", "type", "veth", "peer", "name", "isp0peer");
        ns.exec("ip", "addr", "add", "10.9.0.2/24", "dev", "isp0");
        ns.exec("ip", "link", "set", "isp0", "up");
        ns.exec("ip", "link", "set", "isp0peer", "up");
        ns.exec("ip", "route", "add", "default", "via", "10.9.0.1", "dev", "isp0");
        return PacketPath.watch(ns);
    }

    /** Another rule on the router marks packets before ours (priority -200, before mangle's -150). */
    private void foreignMark(String match, String statement) {
        ns.execWithInput("""
                add table inet sr_foreign
                add chain inet sr_foreign out { type route hook output priority -200; policy accept; }
                add rule inet sr_foreign out ip daddr %s %s
                """.formatted(match, statement), "nft", "-f", "-");
    }

    private void addToSet(RoutingFlavour flavour, String... addresses) {
        for (String address : addresses) {
            ns.exec(flavour.addElement(address));
        }
    }

    @ParameterizedTest
    @EnumSource(RoutingFlavour.class)
    void packets_markKeepsOtherBits_wireguardOwnNeverMarked(RoutingFlavour flavour) {
        PacketPath path = twoWaysOut();
        String[] tunnel = {"WG_ENDPOINT=198.51.100.1 2001:db8::1", "WG_FWMARK=0x20000"};
        Netns.Result up = script(flavour, "up", tunnel);
        assertThat(up.exit()).as(up.output()).isZero();
        // The endpoint in the set, as an upstream's answer could put it there.
        addToSet(flavour, "198.51.100.1", "192.0.2.9", "192.0.2.10");
        // Another rule's bit on every packet to 192.0.2.0/24, except 192.0.2.10, which gets WireGuard's fwmark
        // as WireGuard's own packets do.
        foreignMark("192.0.2.10", "meta mark set 0x20000");
        foreignMark("192.0.2.0/24 ip daddr != 192.0.2.10", "meta mark set meta mark or 0x10000");

        for (String address : List.of("192.0.2.9", "192.0.2.20", "198.51.100.1", "192.0.2.10")) {
            path.send(address);
        }

        assertThat(path.seen())
                .containsEntry("192.0.2.9", new PacketPath.Leaving(0x1ca6cL, "wg0"))
                .containsEntry("192.0.2.20", new PacketPath.Leaving(0x10000L, "isp0"))
                .containsEntry("198.51.100.1", new PacketPath.Leaving(0, "isp0"))
                .containsEntry("192.0.2.10", new PacketPath.Leaving(0x20000L, "isp0"));
        Netns.Result status = script(flavour, "status", tunnel);
        assertThat(status.output()).as(status.output()).contains("endpoint 198.51.100.1 alone", "fwmark 0x20000 alone")
                .doesNotContain("MISSING");
    }
}
