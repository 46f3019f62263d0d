package io.splitroute.doctor;

import java.util.List;
import java.util.Map;

/**
 * The kernel's policy routing for marked packets: the {@code ip rule fwmark MARK/MARK lookup TABLE} and
 * TABLE's default route through the tunnel, read with {@code ip -j -N rule} and {@code ip -j route show
 * table TABLE}.
 */
final class PolicyRouting {
    private final HostTools tools;
    private final RoutingSettings settings;

    PolicyRouting(HostTools tools, RoutingSettings settings) {
        this.tools = tools;
        this.settings = settings;
    }

    /** Checks the rule that sends marked packets of {@code family} ({@code -4} or {@code -6}) to the table. */
    Finding rule(String family) {
        String check = "ip " + family + " rule";
        HostTools.Output out = tools.run("ip", family, "-j", "-N", "rule", "show");
        if (!out.ok()) {
            return Finding.fail(check, "cannot list the rules: " + out.error(), "install iproute2");
        }
        Map<String, Object> rule = markRule(HostTools.json(out.out()), settings.mark(), settings.table());
        String wanted = "fwmark " + settings.markHex() + "/" + settings.markHex() + " lookup " + settings.table();
        if (rule == null) {
            return Finding.fail(check, "no rule sends marked packets to table " + settings.table() + " (" + wanted
                    + ", settings from " + settings.source() + ")", "systemctl restart splitroute-routing (its up adds "
                    + "it), or check MARK and TABLE in " + RoutingSettings.DEFAULT_FILE);
        }
        return Finding.ok(check, "priority " + rule.get("priority") + ": " + wanted);
    }

    /** Returns the first rule a packet carrying {@code mark}'s bits matches that looks up {@code table}, or null. */
    static Map<String, Object> markRule(Object rules, long mark, long table) {
        for (Map<String, Object> rule : HostTools.objects(rules)) {
            if (rule.get("fwmark") instanceof String value && String.valueOf(table).equals(String.valueOf(rule.get("table")))) {
                long fwmark = Long.decode(value);
                long mask = rule.get("fwmask") instanceof String m ? Long.decode(m) : 0xffffffffL;
                if ((mark & mask) == fwmark && !rule.containsKey("not")) {
                    return rule;
                }
            }
        }
        return null;
    }

    /** Checks that the table's default route of {@code family} leaves through the tunnel. */
    Finding table(String family) {
        String check = "route table " + settings.table() + (family.equals("-6") ? " (IPv6)" : "");
        HostTools.Output out = tools.run("ip", family, "-j", "route", "show", "table", Long.toString(settings.table()));
        if (!out.ok()) {
            return Finding.fail(check, "cannot list it: " + out.error(), "install iproute2");
        }
        List<Map<String, Object>> routes = HostTools.objects(HostTools.json(out.out()));
        String tunnel = settings.tunnel();
        boolean unreachable = false;
        String elsewhere = null;
        for (Map<String, Object> route : routes) {
            if (!"default".equals(route.get("dst"))) {
                continue;
            }
            if (dropping(route)) {
                unreachable = true;
            } else if (tunnel.equals(route.get("dev"))) {
                return Finding.ok(check, "default dev " + tunnel + (hasFallback(routes)
                        ? ", unreachable fallback in place" : " (no unreachable fallback: listed traffic goes the direct way "
                        + "if the tunnel goes away)"));
            } else if (elsewhere == null) {
                elsewhere = String.valueOf(route.get("dev"));
            }
        }
        if (elsewhere != null) {
            return Finding.fail(check, "its default route leaves through " + elsewhere + ", not the tunnel " + tunnel,
                    "WG_IF in " + RoutingSettings.DEFAULT_FILE + " names the tunnel; then systemctl reload splitroute-routing");
        }
        if (unreachable) {
            return Finding.fail(check, "no route through " + tunnel + ", only the unreachable fallback: listed traffic "
                    + "is dropped", "bring the tunnel up (wg-quick up " + tunnel + "), then systemctl reload "
                    + "splitroute-routing (wg-quick's PostUp does it)");
        }
        return Finding.fail(check, "empty: marked packets fall through to the main table and go the direct way",
                "systemctl restart splitroute-routing");
    }

    private static boolean hasFallback(List<Map<String, Object>> routes) {
        return routes.stream().anyMatch(r -> "default".equals(r.get("dst")) && dropping(r));
    }

    private static boolean dropping(Map<String, Object> route) {
        Object type = route.get("type");
        return "unreachable".equals(type) || "blackhole".equals(type) || "prohibit".equals(type);
    }

    /**
     * Returns the interface a packet to {@code address} carrying the mark leaves through ({@code ip route get
     * ADDRESS mark MARK}), or why it has none (e.g. {@code unreachable}).
     */
    Route routeOf(String address) {
        HostTools.Output out = tools.run("ip", "-j", "route", "get", address, "mark", settings.markHex());
        if (!out.ok()) {
            return new Route(null, out.error());
        }
        List<Map<String, Object>> routes = HostTools.objects(HostTools.json(out.out()));
        if (routes.isEmpty() || !(routes.getFirst().get("dev") instanceof String dev)) {
            return new Route(null, "no route (" + out.out().strip() + ")");
        }
        return new Route(dev, null);
    }

    /**
     * Where a marked packet goes.
     *
     * @param dev     the interface, or {@code null}
     * @param problem why there is none, or {@code null}
     */
    record Route(String dev, String problem) {}
}
