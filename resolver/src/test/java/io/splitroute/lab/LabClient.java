package io.splitroute.lab;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What a LAN host does in the checks: ask with {@code dig}, fetch with {@code curl}, inside its namespace. */
public final class LabClient {

    private static final Pattern STATUS = Pattern.compile("->>HEADER<<-.*status: ([A-Z]+)");
    private static final Pattern FETCH = Pattern.compile("fetch=(\\d{3}) (\\S*)");
    private static final Pattern ADDRESS = Pattern.compile("address=(\\S*)");
    private static final Pattern QUERY_TIME = Pattern.compile(";; Query time: (\\d+) msec");

    /**
     * Fetches from the first IPv4 address {@code dig} answers, started in the same shell the moment dig
     * returns: prints {@code address=A} then {@code fetch=CODE IP}.
     */
    private static final String DIG_THEN_FETCH = """
            server=$1; name=$2; shift 2
            a=$(dig @"$server" +time=2 +tries=1 +short "$@" "$name" A | grep -E '^[0-9.]+$' | head -n 1)
            echo "address=$a"
            [ -n "$a" ] || exit 0
            curl -sS -o /dev/null -w 'fetch=%{http_code} %{remote_ip}\\n' --connect-timeout 3 -m 5 "http://$a/"
            """;

    private final Netns ns;
    private final String server;

    /** Creates a client in {@code ns} that asks {@code server} (an IPv4 literal). */
    public LabClient(Netns ns, String server) {
        this.ns = ns;
        this.server = server;
    }

    /** One DNS reply as dig printed it: status (null if none), records as "TYPE DATA", the whole output. */
    public record Reply(String status, List<String> records, String output) {

        /** Returns the time from query to reply that dig measured ({@code +stats}), or -1 if it printed none. */
        public long queryMillis() {
            Matcher m = QUERY_TIME.matcher(output);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        /** Returns the data of the records of {@code type}. */
        public Set<String> data(String type) {
            return records.stream().filter(r -> r.startsWith(type + " "))
                    .map(r -> r.substring(type.length() + 1)).collect(Collectors.toSet());
        }
    }

    /** One fetch: HTTP code (000 when reset or timed out), the address curl connected to, the output. */
    public record Fetch(int code, String remoteIp, String address, String output) {}

    /** Asks the server for {@code name} {@code type} with {@code +time=2 +tries=1} and {@code options}. */
    public Reply dig(String name, String type, String... options) {
        List<String> command = new java.util.ArrayList<>(List.of("dig", "@" + server, "+time=2", "+tries=1",
                "+noall", "+comments", "+answer"));
        command.addAll(List.of(options));
        command.add(name);
        command.add(type);
        String output = ns.execAllowingFailure(command.toArray(String[]::new)).output();
        Matcher status = STATUS.matcher(output);
        List<String> records = output.lines().filter(line -> !line.startsWith(";") && !line.isBlank())
                .map(line -> line.trim().split("\\s+", 5)).filter(f -> f.length == 5)
                .map(f -> f[3] + " " + f[4]).toList();
        return new Reply(status.find() ? status.group(1) : null, records, output);
    }

    /** Resolves {@code name} with dig ({@code digOptions} added) and fetches from its address at once. */
    public Fetch digThenFetch(String name, String... digOptions) {
        String[] args = new String[digOptions.length + 2];
        args[0] = server;
        args[1] = name;
        System.arraycopy(digOptions, 0, args, 2, digOptions.length);
        return parse(ns.sh(DIG_THEN_FETCH, args).output());
    }

    /** Fetches {@code http://name/} with curl resolving the name itself (getaddrinfo, /etc/netns resolv.conf). */
    public Fetch fetchByName(String name) {
        return parse(ns.execAllowingFailure("curl", "-4", "-sS", "-o", "/dev/null", "-w",
                "fetch=%{http_code} %{remote_ip}\n", "--connect-timeout", "3", "-m", "5", "http://" + name + "/").output());
    }

    /** Fetches {@code http://address/} directly. */
    public Fetch fetchByIp(String address) {
        return parse(ns.execAllowingFailure("curl", "-sS", "-o", "/dev/null", "-w",
                "fetch=%{http_code} %{remote_ip}\n", "--connect-timeout", "3", "-m", "5", "http://" + address + "/").output());
    }

    private static Fetch parse(String output) {
        Matcher fetch = FETCH.matcher(output);
        Matcher address = ADDRESS.matcher(output);
        String resolved = address.find() ? address.group(1) : null;
        return fetch.find()
                ? new Fetch(Integer.parseInt(fetch.group(1)), fetch.group(2), resolved, output)
                : new Fetch(0, "", resolved, output);
    }
}
