package io.splitroute.doctor;

import io.netty.util.NetUtil;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Route;
import io.splitroute.routing.Routing;
import io.splitroute.sets.SetConfig;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.SetInspection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * One name, end to end: asked through the running server, its addresses must be in the route's sets (the
 * server writes them before it answers) and a packet to each, carrying the mark, must leave through the
 * tunnel ({@code ip route get ADDRESS mark MARK}). The running server's own route for the name ({@code NAME
 * TXT CH}) must be the config's: a server still on an older config routes by that.
 */
final class NameCheck {
    /** Long enough for the server to try a slow upstream and fail over. */
    private static final Duration TIMEOUT = Duration.ofSeconds(6);

    private final InetSocketAddress server;
    private final Routing routing;
    private final KernelSets kernel;
    private final PolicyRouting policy;
    private final RoutingSettings settings;

    NameCheck(InetSocketAddress server, Routing routing, KernelSets kernel, PolicyRouting policy, RoutingSettings settings) {
        this.server = server;
        this.routing = routing;
        this.kernel = kernel;
        this.policy = policy;
        this.settings = settings;
    }

    /** The outcome for one name: the finding, and whether the server gave any address (samples without go on). */
    record Outcome(Finding finding, boolean answered) {}

    /** Checks {@code name}. */
    Outcome check(String name) {
        String check = "name " + name;
        Route route = routing.route(name);
        List<SetConfig> sets = route.sets().stream().map(routing::set).toList();
        List<InetAddress> addresses = new ArrayList<>();
        String serverRoute;
        int rcode;
        try {
            serverRoute = serverRoute(name);
            Message a = DnsAsk.ask(server, name, Type.A, DClass.IN, false, TIMEOUT);
            rcode = a.getRcode();
            addresses.addAll(DnsAsk.addresses(a));
            if (route.aaaa() == AaaaPolicy.SET && sets.stream().anyMatch(s -> s.target().family() == AddressFamily.INET6)) {
                addresses.addAll(DnsAsk.addresses(DnsAsk.ask(server, name, Type.AAAA, DClass.IN, false, TIMEOUT)));
            }
        } catch (IOException e) {
            return new Outcome(Finding.fail(check, "no answer from the server at " + hostPort() + " (" + ListenerCheck.describe(e) + ")",
                    "systemctl status splitroute"), false);
        }
        String stale = serverRoute != null && !serverRoute.equals(route.name())
                ? "the running server routes it as " + serverRoute + ", the config as " + route.name() : null;
        String reload = "systemctl reload splitroute (it runs an older config)";
        if (addresses.isEmpty()) {
            return new Outcome(Finding.fail(check, "route " + route.name() + ": no address (" + Rcode.string(rcode) + ")"
                    + (stale == null ? "" : "; " + stale), stale != null ? reload : "try another name"), false);
        }
        String shown = String.join(" ", addresses.stream().map(NetUtil::toAddressString).toList());
        if (sets.isEmpty()) {
            return new Outcome(stale != null ? Finding.fail(check, shown + ": " + stale, reload)
                    : Finding.ok(check, "route " + route.name() + ", " + shown + " (no set: not tunnelled)"), true);
        }
        if (settings == null) {
            return new Outcome(Finding.skip(check, shown + ": the routing settings could not be read (above)"), true);
        }
        List<String> seen = new ArrayList<>();
        for (SetConfig set : sets) {
            List<InetAddress> own = KernelSets.ofFamily(set.target(), addresses);
            SetInspection facts;
            try {
                facts = kernel.inspect(set.target(), own);
            } catch (KernelSets.CannotAsk e) {
                return new Outcome(Finding.fail(check, shown + ": " + e.getMessage(), "run doctor as root"), true);
            }
            for (InetAddress address : own) {
                String ip = NetUtil.toAddressString(address);
                if (!facts.holds(address)) {
                    String why = stale != null ? ": " + stale : facts.problem() != null ? ": " + facts.problem() : "";
                    return new Outcome(Finding.fail(check, ip + " (route " + route.name() + ") is not in "
                            + set.target().displayName() + why, stale != null ? reload : "the server did not write it: "
                            + "see dns_set_write_failures_total on /metrics and journalctl -u splitroute (a run with "
                            + "--dry-run writes nothing)"), true);
                }
                PolicyRouting.Route way = policy.routeOf(ip);
                if (!settings.tunnel().equals(way.dev())) {
                    String where = way.dev() != null ? "leaves through " + way.dev() : "finds no route (" + way.problem() + ")";
                    return new Outcome(Finding.fail(check, "ip route get " + ip + " mark " + settings.markHex() + " "
                            + where + ", not the tunnel " + settings.tunnel(), "see the ip rule and route table checks"), true);
                }
            }
            if (!own.isEmpty()) {
                seen.add(set.target().displayName());
            }
        }
        if (stale != null) {
            return new Outcome(Finding.fail(check, shown + ": " + stale, reload), true);
        }
        return new Outcome(Finding.ok(check, "route " + route.name() + ", " + shown + " in " + String.join(", ", seen)
                + ", leaves through " + settings.tunnel()), true);
    }

    /** Returns the route the running server gives {@code name} ({@code route=X} of {@code NAME TXT CH}), or null. */
    private String serverRoute(String name) throws IOException {
        for (String s : DnsAsk.txt(DnsAsk.ask(server, name, Type.TXT, DClass.CH, false, TIMEOUT))) {
            if (s.startsWith("route=")) {
                return s.substring("route=".length());
            }
        }
        return null;
    }

    private String hostPort() {
        String host = NetUtil.toAddressString(server.getAddress());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + server.getPort();
    }
}
