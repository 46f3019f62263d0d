package io.splitroute.doctor;

import io.splitroute.admin.AdminEndpoint;
import io.splitroute.config.AdminConfig;
import io.splitroute.config.ListenAddress;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The running server: each listen address answers {@code version.bind TXT CH} as splitroute over UDP and TCP,
 * and the admin listener's {@code /healthz} says ok.
 */
final class ListenerCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String FIX = "systemctl status splitroute; journalctl -u splitroute -e";

    private ListenerCheck() {}

    /** Returns the address to send queries to for {@code listen}: loopback for a wildcard address. */
    static InetSocketAddress target(ListenAddress listen) {
        InetAddress address = listen.address();
        if (address.isAnyLocalAddress()) {
            address = address instanceof Inet4Address ? InetAddress.getLoopbackAddress() : InetAddress.ofLiteral("::1");
        }
        return new InetSocketAddress(address, listen.port());
    }

    /** Checks one listen address. */
    static Finding check(ListenAddress listen) {
        String check = "listen " + listen;
        InetSocketAddress target = target(listen);
        String udp;
        try {
            udp = DnsAsk.version(target, false, TIMEOUT);
        } catch (IOException e) {
            return Finding.fail(check, "no answer over UDP (" + describe(e) + ")", FIX);
        }
        if (!udp.startsWith("splitroute")) {
            return Finding.fail(check, "answered by another DNS server (version.bind: '" + udp + "')",
                    "stop the server that holds " + listen + " (dnsmasq, systemd-resolved, ...), then systemctl restart splitroute");
        }
        try {
            DnsAsk.version(target, true, TIMEOUT);
        } catch (IOException e) {
            return Finding.fail(check, udp + " answers over UDP but not over TCP (" + describe(e) + ")", FIX);
        }
        return Finding.ok(check, udp + " answers over UDP and TCP");
    }

    /** Says what a failed query met: its message, or for a refused port (no message) that nothing listens. */
    static String describe(IOException e) {
        if (e instanceof java.net.PortUnreachableException || e instanceof ConnectException) {
            return "nothing listens there";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Checks the admin listener's health, or returns null when the config has none. */
    static Finding health(AdminConfig admin) {
        AdminEndpoint endpoint;
        try {
            endpoint = AdminEndpoint.of(admin, TIMEOUT);
        } catch (IOException e) {
            return Finding.fail("health /healthz", e.getMessage(), "run doctor as root, or as splitroute's user");
        }
        if (endpoint == null) {
            return null;
        }
        String check = "health " + endpoint.base() + "/healthz";
        try {
            AdminEndpoint.Response response = endpoint.get("/healthz");
            if (response.status() == 200) {
                return Finding.ok(check, response.firstLine());
            }
            return Finding.fail(check, response.status() + ": " + String.join("; ", response.body().strip().lines().toList()),
                    "see the lines above; journalctl -u splitroute -e");
        } catch (ConnectException e) {
            return Finding.fail(check, "nothing listens there: splitroute is not running, or could not bind it", FIX);
        } catch (IOException e) {
            return Finding.fail(check, "no answer (" + e + ")", FIX);
        }
    }
}
