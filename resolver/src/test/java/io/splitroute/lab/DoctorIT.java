package io.splitroute.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.it.ChildProcess;
import io.splitroute.it.Executables;
import io.splitroute.it.SplitrouteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code splitroute doctor} on a router in a network namespace made here: the packaged jar serving on
 * loopback with a dnsmasq upstream, an ipset, and the shipped iptables routing script over a stand-in tunnel
 * (a veth: no handshake to check; the router lab checks a real WireGuard one). Each test breaks one link of
 * the chain, shows doctor's failing line and exit status 1, and mends it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DoctorIT {
    private static final String TUNNEL = "srtun0";
    private static final String WAN = "srwan0";
    private static final String LISTED = "blocked.test";
    private static final String LISTED_ADDRESS = "203.0.113.10";

    private final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);
    private final String set = "srdoc" + id;
    private Path dir;
    private Netns ns;
    private ChildProcess dnsmasq;
    private ChildProcess server;
    private Path config;
    private Path settings;
    private String startLog;

    @BeforeAll
    void buildRouter() throws Exception {
        assumeTrue(isRoot(), "needs root (a network namespace, ipset, iptables)");
        for (String tool : List.of("ip", "iptables", "iptables-save", "ipset", "dnsmasq", "dig")) {
            assumeTrue(Executables.find(tool).isPresent(), tool + " is not installed");
        }
        dir = Files.createDirectories(Path.of("target", "doctor-it-" + id).toAbsolutePath());
        ns = Netns.create("sr-doc-" + id);
        dnsmasq = ns.spawn("dnsmasq", dir.resolve("dnsmasq.log"), "dnsmasq", "--keep-in-foreground",
                "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--pid-file=", "--user=root", "--bind-interfaces",
                "--listen-address=127.0.0.1", "--port=5399", "--address=/#/198.51.100.7",
                "--address=/" + LISTED + "/" + LISTED_ADDRESS, "--address=/late.test/198.51.100.9", "--address=/gone.test/");
        Files.writeString(dir.resolve("mine.txt"), "gone.test\nlisted2.test\n");
        config = writeConfig("splitroute.yaml", set, "[" + LISTED + "]");
        // The server starts while the namespace has only loopback: no interface with a hardware address.
        server = ns.spawn("splitroute", dir.resolve("splitroute.log"), Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-jar", SplitrouteServer.JAR.toAbsolutePath().toString(),
                "run", "--config", config.toString());
        RouterLab.await("splitroute in " + ns.name(), Duration.ofSeconds(90), () -> !server.isAlive()
                || ns.execAllowingFailure("dig", "+time=1", "+tries=1", "@127.0.0.1", "-p", "5300", "version.bind", "TXT",
                "CH").output().contains("splitroute"));
        assertThat(server.isAlive()).as(server.describe()).isTrue();
        startLog = Files.readString(dir.resolve("splitroute.log"));
        veth(TUNNEL, "10.200.0.2/24");
        veth(WAN, "10.1.0.2/24");
        ns.exec("ip", "route", "add", "default", "via", "10.1.0.1");
        settings = Files.writeString(dir.resolve("routing.env"), "WG_IF=" + TUNNEL + "\nSET=" + set + "\nSET6=\n"
                + "CLEAN_DNS=\"\"\nSTATE_DIR=" + dir.resolve("state") + "\n");
        routingUp();
    }

    private Path writeConfig(String name, String setName, String domains) throws Exception {
        return Files.writeString(dir.resolve(name), """
                listen: ["127.0.0.1:5300"]
                admin: { listen: "127.0.0.1:9153" }
                upstreams: { local: ["udp://127.0.0.1:5399"] }
                lists: { mine: { file: %s, format: domains } }
                sets: { gfw4: { type: ipset, name: %s, family: inet, create: true } }
                routes:
                  - { name: tunnel, lists: [mine], domains: %s, upstream: local, sets: [gfw4], aaaa: drop }
                default-upstream: local
                """.formatted(dir.resolve("mine.txt"), setName, domains));
    }

    private void veth(String name, String address) {
        ns.exec("ip", "link", "add", name, "type", "veth", "peer", "name", name + "p");
        ns.exec("ip", "link", "set", name + "p", "up");
        ns.exec("ip", "addr", "add", address, "dev", name);
        ns.exec("ip", "link", "set", name, "up");
    }

    /** The routing unit's command, with the settings file's values in the environment as systemd gives them. */
    private void routingUp() throws Exception {
        List<String> env = Files.readAllLines(settings).stream().filter(l -> l.contains("=")).map(l -> l.replace("\"", "")).toList();
        List<String> command = new java.util.ArrayList<>(List.of("env"));
        command.addAll(env);
        command.addAll(List.of("sh", RepoFile.find("config/routing/splitroute-route-iptables.sh").toString(), "up"));
        Netns.Result up = ns.execAllowingFailure(command.toArray(String[]::new));
        assertThat(up.exit()).as(up.output()).isZero();
    }

    @AfterAll
    void removeRouter() {
        for (AutoCloseable c : new AutoCloseable[] {server, dnsmasq, ns}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("doctor IT teardown: " + e);
            }
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private DoctorRun doctor(Path configFile, String... names) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--config", configFile.toString(),
                "--routing-settings", settings.toString()));
        args.addAll(List.of(names));
        return DoctorRun.in(ns, args.toArray(String[]::new));
    }

    @Test
    void workingRouter_everyCheckPasses() throws Exception {
        DoctorRun run = doctor(config);

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.line("set gfw4")).startsWith("ok   set gfw4: ipset " + set + " (hash:ip, inet) exists, with timeouts, ");
        assertThat(run.line("marking gfw4")).startsWith("ok   marking gfw4: iptables mangle SPLITROUTE marks packets to ipset " + set);
        assertThat(run.line("ip -4 rule")).isEqualTo("ok   ip -4 rule: priority 10000: fwmark 0xca6c/0xca6c lookup 51820");
        assertThat(run.line("route table 51820")).startsWith("ok   route table 51820: default dev " + TUNNEL);
        assertThat(run.line("tunnel " + TUNNEL)).startsWith("ok   tunnel " + TUNNEL + ": up");
        assertThat(run.line("name " + LISTED)).isEqualTo("ok   name " + LISTED + ": route tunnel, " + LISTED_ADDRESS
                + " in ipset " + set + ", leaves through " + TUNNEL);
        assertThat(run.line("name listed2.test")).startsWith("ok   name listed2.test: route tunnel, 198.51.100.7 in ipset");
        assertThat(run.output()).doesNotContain("gone.test").endsWith("checks passed\n");
    }

    @Test
    void missingSet_failsItsLine_json() throws Exception {
        Path other = writeConfig("missing-set.yaml", "srdocmissing" + id, "[" + LISTED + "]");

        DoctorRun run = doctor(other, "--json", LISTED);

        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.output()).contains("{\"ok\":false,").contains("{\"check\":\"set gfw4\",\"status\":\"fail\","
                + "\"detail\":\"ipset srdocmissing" + id + " does not exist in this network namespace; create it with: ");
    }

    @Test
    void missingIpRule_failsItsLine() throws Exception {
        ns.exec("ip", "rule", "del", "fwmark", "0xca6c/0xca6c", "lookup", "51820");
        try {
            DoctorRun run = doctor(config, LISTED);

            assertThat(run.exit()).as("%s", run).isEqualTo(1);
            assertThat(run.line("ip -4 rule")).startsWith("FAIL ip -4 rule: no rule sends marked packets to table 51820")
                    .contains("-> systemctl restart splitroute-routing");
            assertThat(run.line("name " + LISTED)).contains("leaves through " + WAN + ", not the tunnel " + TUNNEL);
        } finally {
            routingUp();
        }
    }

    @Test
    void tunnelDown_failsItsLine() throws Exception {
        ns.exec("ip", "link", "set", TUNNEL, "down");
        try {
            DoctorRun run = doctor(config, LISTED);

            assertThat(run.exit()).as("%s", run).isEqualTo(1);
            assertThat(run.line("tunnel " + TUNNEL)).startsWith("FAIL tunnel " + TUNNEL + ": down");
            assertThat(run.line("route table 51820")).startsWith("FAIL route table 51820: no route through " + TUNNEL
                    + ", only the unreachable fallback");
        } finally {
            ns.exec("ip", "link", "set", TUNNEL, "up");
            routingUp();
        }
    }

    @Test
    void nameNotInSet_failsItsLineWithTheReason() throws Exception {
        // The config on disk routes late.test through the tunnel; the running server was started without it.
        Path edited = writeConfig("edited.yaml", set, "[" + LISTED + ", late.test]");

        DoctorRun run = doctor(edited, "late.test");

        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.line("name late.test")).isEqualTo("FAIL name late.test: 198.51.100.9 (route tunnel) is not in ipset "
                + set + ": the running server routes it as default, the config as tunnel -> systemctl reload splitroute"
                + " (it runs an older config)");
    }

    @Test
    void routeLeavesThroughTheWrongInterface_failsItsLine() throws Exception {
        ns.exec("ip", "route", "replace", "default", "dev", WAN, "table", "51820");
        try {
            DoctorRun run = doctor(config, LISTED);

            assertThat(run.exit()).as("%s", run).isEqualTo(1);
            assertThat(run.line("name " + LISTED)).isEqualTo("FAIL name " + LISTED + ": ip route get " + LISTED_ADDRESS
                    + " mark 0xca6c leaves through " + WAN + ", not the tunnel " + TUNNEL + " -> see the ip rule and route table checks");
            assertThat(run.line("route table 51820")).startsWith("FAIL route table 51820: its default route leaves through " + WAN);
        } finally {
            routingUp();
        }
    }

    @Test
    void serverStartedInANamespaceWithoutHardwareAddress_logsNoWarning() {
        assertThat(startLog).contains("listening on").doesNotContain("WARN").doesNotContain("MacAddressUtil");
    }
}
