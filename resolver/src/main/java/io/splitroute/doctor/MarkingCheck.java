package io.splitroute.doctor;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.NftSetTarget;
import io.splitroute.sets.SetConfig;
import java.util.Comparator;
import java.util.List;

/**
 * The firewall rule that gives packets bound for a set's addresses the mark: present, with the mark's bits,
 * and reached by the LAN's packets and the router's own. ipsets are matched by iptables ({@code
 * iptables-save -t mangle}, {@code ip6tables-save} for inet6 sets), nft sets by rules of their own table
 * ({@code nft -j list ruleset}).
 */
final class MarkingCheck {
    private final HostTools tools;
    private final RoutingSettings settings;
    private String iptables4;
    private String iptables6;
    private NftRules nft;

    MarkingCheck(HostTools tools, RoutingSettings settings) {
        this.tools = tools;
        this.settings = settings;
    }

    /** Checks the marking of the set called {@code name} in the config. */
    Finding check(String name, SetConfig set) {
        String check = "marking " + name;
        String mark = settings.markHex();
        List<Marking> found;
        String setName = set.target().displayName();
        try {
            found = switch (set.target()) {
                case IpsetTarget ipset -> IptablesRules.parse(iptablesSave(ipset.family())).markingsOf(ipset.name());
                case NftSetTarget t -> nftRules().markingsOf(t.tableFamily() + " " + t.table(), t.set());
            };
        } catch (IllegalStateException | IllegalArgumentException e) {
            return Finding.fail(check, "cannot read the firewall rules: " + e.getMessage(), "run doctor as root");
        }
        String fix = "systemctl restart splitroute-routing (its up adds the rule; SET, SET6 and MARK in "
                + RoutingSettings.DEFAULT_FILE + " must name this set and mark " + mark + ")";
        if (found.isEmpty()) {
            return Finding.fail(check, "no firewall rule marks packets to " + setName, fix);
        }
        Marking best = found.stream().max(Comparator.comparingInt(m -> m.score(settings.mark()))).orElseThrow();
        if (!best.sets(settings.mark())) {
            return Finding.fail(check, best.where() + " marks packets to " + setName + " with 0x"
                    + Long.toHexString(best.bits()) + ", not the bits of " + mark + " the ip rule looks for", fix);
        }
        if (!best.fromPrerouting()) {
            return Finding.fail(check, best.where() + " marks packets to " + setName + ", but no prerouting hook "
                    + "leads to it: the LAN's traffic is not marked", fix);
        }
        if (!best.fromOutput()) {
            return Finding.fail(check, best.where() + " marks packets to " + setName + ", but " + best.outputProblem()
                    + ": the router's own traffic is not routed through the tunnel", fix);
        }
        return Finding.ok(check, best.where() + " marks packets to " + setName + " with " + mark + " (LAN and router)");
    }

    private String iptablesSave(AddressFamily family) {
        boolean v6 = family == AddressFamily.INET6;
        String cached = v6 ? iptables6 : iptables4;
        if (cached == null) {
            HostTools.Output out = tools.run(v6 ? "ip6tables-save" : "iptables-save", "-t", "mangle");
            if (!out.ok()) {
                throw new IllegalStateException(out.error());
            }
            cached = out.out();
            if (v6) {
                iptables6 = cached;
            } else {
                iptables4 = cached;
            }
        }
        return cached;
    }

    private NftRules nftRules() {
        if (nft == null) {
            HostTools.Output out = tools.run("nft", "-j", "list", "ruleset");
            if (!out.ok()) {
                throw new IllegalStateException(out.error());
            }
            nft = NftRules.parse(out.out());
        }
        return nft;
    }
}
