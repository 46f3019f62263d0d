package io.splitroute.sets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the WireGuard tunnel's endpoint addresses from the settings the routing scripts use: a wg-quick
 * config ({@code Endpoint = 203.0.113.200:51820}, {@code Endpoint = [2001:db8::1]:51820}) or the scripts'
 * settings file ({@code WG_ENDPOINT="203.0.113.200 2001:db8::/32"}, as in {@code /etc/default/splitroute}).
 * Only IP literals are taken: an endpoint given as a host name is reported, never resolved (at start the
 * resolver would be splitroute itself).
 */
public final class WireguardEndpoints {
    private WireguardEndpoints() {}

    /**
     * What one file (or the environment) gave.
     *
     * @param networks the endpoint addresses and networks found
     * @param unused   one message per endpoint that could not be used ({@code line 17: vps.example.net is a
     *                 host name}), for the start-up log
     */
    public record Found(List<Cidr> networks, List<String> unused) {
        /** Copies the lists. */
        public Found {
            networks = List.copyOf(networks);
            unused = List.copyOf(unused);
        }
    }

    /** Reads every {@code Endpoint =} and {@code WG_ENDPOINT=} line of {@code text}. */
    public static Found read(String text) {
        List<Cidr> networks = new ArrayList<>();
        List<String> unused = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = withoutComment(lines[i]).strip();
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.toLowerCase(Locale.ROOT).equals("endpoint")) {
                endpoint(value, "line " + (i + 1), networks, unused);
            } else if (key.equals("WG_ENDPOINT") || key.equals("export WG_ENDPOINT")) {
                variable(value, "line " + (i + 1), networks, unused);
            }
        }
        return new Found(networks, unused);
    }

    /** Reads the value of a {@code WG_ENDPOINT} variable: addresses or networks, space separated. */
    public static Found variable(String value) {
        List<Cidr> networks = new ArrayList<>();
        List<String> unused = new ArrayList<>();
        variable(value, "WG_ENDPOINT", networks, unused);
        return new Found(networks, unused);
    }

    private static void variable(String value, String where, List<Cidr> networks, List<String> unused) {
        String unquoted = value.replaceAll("^([\"'])(.*)\\1$", "$2");
        for (String item : unquoted.strip().split("\\s+")) {
            if (item.isEmpty()) {
                continue;
            }
            try {
                networks.add(Cidr.parse(item));
            } catch (IllegalArgumentException e) {
                unused.add(where + ": " + e.getMessage());
            }
        }
    }

    /** {@code HOST:PORT} or {@code [IPV6]:PORT}; the port is ignored. */
    private static void endpoint(String value, String where, List<Cidr> networks, List<String> unused) {
        String host = value;
        if (value.startsWith("[") && value.indexOf(']') > 0) {
            host = value.substring(1, value.indexOf(']'));
        } else if (value.indexOf(':') == value.lastIndexOf(':') && value.indexOf(':') > 0) {
            host = value.substring(0, value.indexOf(':'));
        }
        try {
            networks.add(Cidr.parse(host));
        } catch (IllegalArgumentException e) {
            unused.add(where + ": Endpoint " + host + " is not an IP address (a host name is not resolved:"
                    + " name its address under never-route)");
        }
    }

    private static String withoutComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}
