package io.splitroute.doctor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The tunnel interface: it exists and is up ({@code ip -j link show dev IF}), and, for WireGuard, a peer
 * shook hands recently ({@code wg show IF latest-handshakes}). Run after the upstream checks: queries to the
 * clean upstream go through the tunnel, and WireGuard shakes hands before it carries traffic whose last
 * handshake is older than two minutes.
 */
final class TunnelCheck {
    /** A session is rejected after three minutes without a handshake (WireGuard's Reject-After-Time). */
    static final Duration RECENT = Duration.ofSeconds(180 + 15);

    private final HostTools tools;

    TunnelCheck(HostTools tools) {
        this.tools = tools;
    }

    /** Checks {@code tunnel}; {@code now} is the time to measure handshake ages from. */
    Finding check(String tunnel, Instant now) {
        String check = "tunnel " + tunnel;
        HostTools.Output link = tools.run("ip", "-j", "link", "show", "dev", tunnel);
        if (!link.ok()) {
            return Finding.fail(check, "no such interface (" + link.error() + ")", "bring the tunnel up (wg-quick up "
                    + tunnel + "), or name it in WG_IF in " + RoutingSettings.DEFAULT_FILE + " (or --tunnel)");
        }
        List<Map<String, Object>> links = HostTools.objects(HostTools.json(link.out()));
        List<?> flags = links.isEmpty() || !(links.getFirst().get("flags") instanceof List<?> f) ? List.of() : f;
        if (!flags.contains("UP") || !flags.contains("LOWER_UP")) {
            return Finding.fail(check, "down (flags " + flags + ")", "ip link set " + tunnel + " up, or wg-quick up "
                    + tunnel + "; then systemctl reload splitroute-routing to restore its route");
        }
        HostTools.Output wg = tools.run("wg", "show", tunnel, "latest-handshakes");
        if (!wg.ok()) {
            return Finding.ok(check, "up (not a WireGuard interface, or wg cannot read it: no handshake to check)");
        }
        return handshake(check, tunnel, wg.out(), now);
    }

    /** Judges {@code wg show IF latest-handshakes} output: one {@code PEER EPOCH-SECONDS} line per peer. */
    static Finding handshake(String check, String tunnel, String latestHandshakes, Instant now) {
        long latest = 0;
        int peers = 0;
        for (String line : latestHandshakes.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length == 2) {
                peers++;
                latest = Math.max(latest, Long.parseLong(fields[1]));
            }
        }
        String fix = "check the peer's endpoint (wg show " + tunnel + " endpoints), the keys, and that UDP to it is "
                + "not blocked; journalctl for wg-quick";
        if (peers == 0) {
            return Finding.fail(check, "up, but WireGuard has no peer", "add the server as a peer (wg-quick's [Peer])");
        }
        if (latest == 0) {
            return Finding.fail(check, "up, but no handshake with any peer yet", fix);
        }
        Duration age = Duration.between(Instant.ofEpochSecond(latest), now);
        if (age.compareTo(RECENT) > 0) {
            return Finding.fail(check, "up, latest handshake " + ago(age) + " (a working tunnel shakes hands every "
                    + "2 minutes while it carries traffic)", fix);
        }
        return Finding.ok(check, "up, WireGuard, latest handshake " + ago(age));
    }

    static String ago(Duration age) {
        long s = Math.max(0, age.toSeconds());
        return s < 120 ? s + " s ago" : s < 7200 ? s / 60 + " min ago" : s < 172800 ? s / 3600 + " h ago" : s / 86400 + " days ago";
    }
}
