package io.splitroute.lab;

import io.splitroute.it.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole split-tunnel setup in five network namespaces, built for real and torn down by {@link #close()}.
 *
 * <pre>
 *  client 10.0.0.2 ── lan0 ── router 10.0.0.1 (DNS server under test, routing script, wg 10.200.0.2)
 *                               │ wan0 10.1.0.2
 *                             isp 10.1.0.1: resets TCP to blocked addresses, DNATs every port-53 packet
 *                               │         to its own dnsmasq that poisons *.blocked.example; masquerades
 *                               │ up0 192.0.2.1
 *                             internet 192.0.2.2 / 198.51.100.254: web server on 203.0.113.x:80,
 *                               │         clean DNS on 203.0.113.53 and .54, counts web hits per path
 *                               │ 198.51.100.1
 *                             vps: WireGuard endpoint (wireguard-go, 10.200.0.1), masquerades to internet
 * </pre>
 *
 * The router's tunnel endpoint traffic crosses the ISP (UDP, not port 53, so untouched), as it would for
 * real. Everything the lab starts is recorded and stopped by pid on close, namespaces deleted after.
 */
public final class RouterLab implements AutoCloseable {

    /** The router's LAN address: where clients send DNS. */
    public static final String ROUTER_LAN = "10.0.0.1";
    /** The ISP's resolver (the router's default upstream). */
    public static final String ISP_DNS = "10.1.0.1";
    /**
     * The clean resolver, on the internet, reachable unpoisoned only through the tunnel: the routing script's
     * {@code CLEAN_DNS}, so its rule keeps it in the tunnel table (unreachable while the tunnel is down).
     */
    public static final String CLEAN_DNS = "203.0.113.53";
    /**
     * The same clean resolver at a second address the routing script does not know: the router reaches it
     * through the tunnel by a plain route via the tunnel interface (as wg-quick adds for AllowedIPs), which
     * goes away with the interface. The DNS servers under test use this one, the case a bound upstream is for.
     */
    public static final String CLEAN_DNS_ROUTED = "203.0.113.54";
    /** What the ISP answers for every blocked name. */
    public static final String POISON = "203.0.113.66";
    /** The AAAA record of {@link Site#DUAL_STACK} at the clean DNS. */
    public static final String V6_ADDRESS = "2001:db8::14";
    /** The listed domain (on the router's list and poisoned by the ISP). */
    public static final String LISTED_DOMAIN = "blocked.example";

    private static final String VPS_PUBLIC = "198.51.100.1";
    private static final String ISP_PUBLIC = "192.0.2.1";
    private static final Pattern COUNTED_RULE =
            Pattern.compile("(?:-s (\\S+)/32 )?-d (\\S+)/32 .*-c (\\d+) (\\d+)");

    private final String id;
    private final Path dir;
    private final RoutingFlavour flavour;
    private final Deque<AutoCloseable> teardown = new ArrayDeque<>();
    private final String routerWg;
    private final String vpsWg;
    private Netns client;
    private Netns router;
    private Netns isp;
    private Netns vps;
    private Netns internet;
    private Path cleanDnsLog;
    private Path ispDnsLog;
    private String beforeRouting;

    private RouterLab(Path dir, RoutingFlavour flavour) {
        this.id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);
        this.dir = dir.toAbsolutePath().resolve("lab-" + id);
        this.flavour = flavour;
        this.routerWg = "wgsr" + id + "r";
        this.vpsWg = "wgsr" + id + "v";
    }

    /**
     * Builds the lab under {@code workDir} (configs, keys, logs) with the router running {@code flavour}'s
     * routing script; the router's DNS server is started separately ({@link RouterDns}).
     *
     * @throws IOException if a file cannot be written or a program cannot be started
     */
    public static RouterLab start(Path workDir, RoutingFlavour flavour) throws IOException {
        RouterLab lab = new RouterLab(workDir, flavour);
        // If the test JVM is stopped before @AfterAll (failsafe timeout, Ctrl-C), still remove the lab.
        Thread hook = new Thread(lab::close, "lab-" + lab.id + "-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        lab.teardown.push(() -> removeHook(hook));
        long start = System.nanoTime();
        try {
            lab.build();
            System.out.printf("lab %s (%s) up in %d ms%n", lab.id, flavour, (System.nanoTime() - start) / 1_000_000);
            return lab;
        } catch (IOException | RuntimeException | Error e) {
            lab.close();
            throw e;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Running inside the hook itself: nothing to remove.
        }
    }

    private void build() throws IOException {
        Files.createDirectories(dir);
        client = namespace("client");
        router = namespace("router");
        isp = namespace("isp");
        vps = namespace("vps");
        internet = namespace("inet");
        link(client, "lan0", "10.0.0.2/24", router, "lan0", ROUTER_LAN + "/24");
        link(router, "wan0", "10.1.0.2/24", isp, "cust0", ISP_DNS + "/24");
        link(isp, "up0", ISP_PUBLIC + "/25", internet, "isp0", "192.0.2.2/25");
        link(vps, "eth0", VPS_PUBLIC + "/24", internet, "vps0", "198.51.100.254/24");
        client.exec("ip", "route", "add", "default", "via", ROUTER_LAN);
        router.exec("ip", "route", "add", "default", "via", ISP_DNS);
        isp.exec("ip", "route", "add", "default", "via", "192.0.2.2");
        vps.exec("ip", "route", "add", "default", "via", "198.51.100.254");
        for (Netns forwarding : List.of(router, isp, vps, internet)) {
            forwarding.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
        }
        // The fail-fast check needs the router's ICMP port-unreachable for a query to a killed server. The
        // kernel sends those to one host in a burst of 6, then 1 a second; the start-up probes (one per
        // 50 ms until the server answers) can use that up just before the kill, and dig then times out.
        router.exec("sysctl", "-qw", "net.ipv4.icmp_ratelimit=0");
        // The home router's own NAT to its ISP, there before splitroute and independent of it.
        router.exec("iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-o", "wan0", "-j", "MASQUERADE");
        resolvConf(client, ROUTER_LAN);
        resolvConf(router, "127.0.0.1");
        buildInternet();
        buildIsp();
        buildTunnel();
        beforeRouting = routingSnapshot();
        // As at boot: the routing unit brings routing up before any DNS server starts.
        List<String> start = ServiceUnit.load("splitroute-routing.service").routingCommands("ExecStart");
        if (start.isEmpty()) {
            throw new IllegalStateException("splitroute-routing.service runs no routing script at start");
        }
        start.forEach(this::routing);
    }

    private Netns namespace(String role) {
        Netns ns = Netns.create("sr-lab-" + id + "-" + role);
        teardown.push(ns);
        return ns;
    }

    private static void link(Netns a, String aIf, String aAddr, Netns b, String bIf, String bAddr) {
        a.exec("ip", "link", "add", aIf, "type", "veth", "peer", "name", bIf, "netns", b.name());
        a.exec("ip", "addr", "add", aAddr, "dev", aIf);
        b.exec("ip", "addr", "add", bAddr, "dev", bIf);
        a.exec("ip", "link", "set", aIf, "up");
        b.exec("ip", "link", "set", bIf, "up");
    }

    /** {@code ip netns exec} bind-mounts /etc/netns/NAME/resolv.conf: curl and getaddrinfo ask {@code server}. */
    private void resolvConf(Netns ns, String server) throws IOException {
        Path etc = Path.of("/etc/netns", ns.name());
        if (!Files.isDirectory(etc.getParent())) {
            Files.createDirectories(etc.getParent());
            teardown.push(() -> deleteIfEmpty(etc.getParent()));
        }
        Files.createDirectories(etc);
        teardown.push(() -> {
            Files.deleteIfExists(etc.resolve("resolv.conf"));
            Files.deleteIfExists(etc);
        });
        Files.writeString(etc.resolve("resolv.conf"), "nameserver " + server + "\noptions timeout:2 attempts:1\n");
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dir);
            }
        }
    }

    private void buildInternet() throws IOException {
        List<String> dns = new ArrayList<>(dnsmasq(CLEAN_DNS + "," + CLEAN_DNS_ROUTED));
        internet.exec("ip", "addr", "add", CLEAN_DNS + "/32", "dev", "lo");
        internet.exec("ip", "addr", "add", CLEAN_DNS_ROUTED + "/32", "dev", "lo");
        internet.exec("iptables", "-w", "-N", "LAB_PATH");
        internet.exec("iptables", "-w", "-A", "INPUT", "-p", "tcp", "--dport", "80", "-j", "LAB_PATH");
        for (Site site : Site.ALL) {
            internet.exec("ip", "addr", "add", site.address() + "/32", "dev", "lo");
            for (String source : List.of(VPS_PUBLIC, ISP_PUBLIC)) {
                internet.exec("iptables", "-w", "-A", "LAB_PATH", "-s", source, "-d", site.address());
            }
            String record = site == Site.DUAL_STACK ? site.address() + "," + V6_ADDRESS : site.address();
            dns.add("--host-record=" + site.name() + "," + record);
        }
        dns.add("--cname=" + Site.CDN_ALIAS + "," + Site.CDN_EDGE.name());
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "lab web server\n");
        spawn(internet, "httpd", "busybox", "httpd", "-f", "-p", "80", "-h", www.toString());
        cleanDnsLog = spawnLog(internet, "clean dnsmasq");
        spawn(internet, "clean dnsmasq", dns.toArray(String[]::new));
        awaitAnswer(internet, CLEAN_DNS, Site.LISTED.name());
        await("web server on " + internet.name(), Duration.ofSeconds(10), () -> internet.execAllowingFailure(
                "curl", "-s", "-o", "/dev/null", "-m", "1", "http://" + Site.OPEN.address() + "/").exit() == 0);
        internet.exec("iptables", "-w", "-Z", "LAB_PATH");
    }

    private void buildIsp() throws IOException {
        isp.exec("iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-o", "up0", "-j", "MASQUERADE");
        for (String proto : List.of("udp", "tcp")) {
            // Whatever resolver the customer asked, the ISP's own dnsmasq answers.
            isp.exec("iptables", "-w", "-t", "nat", "-A", "PREROUTING", "-i", "cust0", "-p", proto,
                    "--dport", "53", "-j", "DNAT", "--to-destination", ISP_DNS + ":53");
        }
        isp.exec("iptables", "-w", "-N", "ISP_BLOCK");
        isp.exec("iptables", "-w", "-A", "FORWARD", "-i", "cust0", "-j", "ISP_BLOCK");
        List<String> blocked = new ArrayList<>(List.of(POISON));
        Site.ALL.stream().filter(Site::blockedByIsp).map(Site::address).forEach(blocked::add);
        for (String address : blocked) {
            isp.exec("iptables", "-w", "-A", "ISP_BLOCK", "-d", address, "-p", "tcp",
                    "-j", "REJECT", "--reject-with", "tcp-reset");
        }
        List<String> dns = new ArrayList<>(dnsmasq(ISP_DNS));
        dns.add("--address=/" + LISTED_DOMAIN + "/" + POISON);
        dns.add("--server=" + CLEAN_DNS);
        ispDnsLog = spawnLog(isp, "isp dnsmasq");
        spawn(isp, "isp dnsmasq", dns.toArray(String[]::new));
        awaitAnswer(isp, ISP_DNS, Site.OPEN.name());
    }

    private static List<String> dnsmasq(String address) {
        return List.of("dnsmasq", "--keep-in-foreground", "--log-facility=-", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--pid-file=", "--user=root", "--bind-interfaces",
                "--listen-address=" + address, "--local-ttl=600", "--cache-size=1000",
                "--log-queries=extra");
    }

    private void buildTunnel() throws IOException {
        String routerKey = privateKey("router");
        String vpsKey = privateKey("vps");
        wireguardGo(vps, vpsWg);
        wireguardGo(router, routerWg);
        vps.exec("wg", "set", vpsWg, "private-key", dir.resolve("vps.key").toString(), "listen-port", "51820",
                "peer", publicKey(routerKey), "allowed-ips", "10.200.0.2/32");
        router.exec("wg", "set", routerWg, "private-key", dir.resolve("router.key").toString(),
                "peer", publicKey(vpsKey), "allowed-ips", "0.0.0.0/0", "endpoint", VPS_PUBLIC + ":51820");
        vps.exec("ip", "addr", "add", "10.200.0.1/24", "dev", vpsWg);
        router.exec("ip", "addr", "add", "10.200.0.2/24", "dev", routerWg);
        vps.exec("ip", "link", "set", vpsWg, "up");
        router.exec("ip", "link", "set", routerWg, "up");
        vps.exec("iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-o", "eth0", "-j", "MASQUERADE");
        routeCleanDnsThroughTunnel();
        // One ping both ways through the tunnel: the handshake is done before any check runs.
        router.exec("busybox", "ping", "-c", "1", "-W", "3", "10.200.0.1");
    }

    private void routeCleanDnsThroughTunnel() {
        router.exec("ip", "route", "replace", CLEAN_DNS_ROUTED + "/32", "dev", routerWg);
    }

    /** Brings the router's tunnel interface down, as a lost tunnel does: its routes go with it. */
    public void tunnelDown() {
        router.exec("ip", "link", "set", routerWg, "down");
    }

    /**
     * Brings the tunnel interface back up and what its {@code PostUp} would restore: the route to
     * {@link #CLEAN_DNS_ROUTED} and the routing script's tunnel route ({@code up}); then a handshake.
     */
    public void tunnelUp() {
        router.exec("ip", "link", "set", routerWg, "up");
        routeCleanDnsThroughTunnel();
        routing("up");
        router.exec("busybox", "ping", "-c", "1", "-W", "3", "10.200.0.1");
    }

    private String privateKey(String who) throws IOException {
        String key = router.exec("wg", "genkey").trim();
        Path file = dir.resolve(who + ".key");
        Files.writeString(file, key + "\n");
        return key;
    }

    private String publicKey(String privateKey) {
        return router.execWithInput(privateKey + "\n", "wg", "pubkey").trim();
    }

    /** wireguard-go takes any argument as an interface name: it is given exactly one, a unique one. */
    private void wireguardGo(Netns ns, String ifName) throws IOException {
        Path socket = Path.of("/var/run/wireguard", ifName + ".sock");
        teardown.push(() -> Files.deleteIfExists(socket));
        ChildProcess process = spawn(ns, "wireguard-go", "wireguard-go", "-f", ifName);
        await("wireguard-go " + ifName, Duration.ofSeconds(10),
                () -> Files.exists(socket) && ns.execAllowingFailure("ip", "link", "show", ifName).exit() == 0
                        || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException(process.describe());
        }
    }

    private Path spawnLog(Netns ns, String what) {
        return dir.resolve(ns.name() + "-" + what.replace(' ', '-') + ".log");
    }

    private ChildProcess spawn(Netns ns, String what, String... command) throws IOException {
        Path log = spawnLog(ns, what);
        ChildProcess process = ns.spawn(what, log, command);
        teardown.push(process);
        return process;
    }

    private static void awaitAnswer(Netns ns, String server, String name) {
        await("DNS on " + server + " in " + ns.name(), Duration.ofSeconds(10), () -> ns.execAllowingFailure(
                "dig", "@" + server, "+time=1", "+tries=1", name, "A").output().contains("status: NOERROR"));
    }

    /** Polls {@code condition} every 50 ms until it holds, at most {@code limit}. */
    static void await(String what, Duration limit, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(what + " not ready within " + limit);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    /** Has {@code resource} closed with the lab (before what is already there), also by the shutdown hook. */
    synchronized void closeWithLab(AutoCloseable resource) {
        teardown.push(resource);
    }

    /** Runs the routing script's {@code command} (up, down, status) on the router; returns its result. */
    public Netns.Result routing(String command) {
        List<String> line = new ArrayList<>(List.of("env"));
        line.addAll(routingSettingsLines());
        line.addAll(List.of("sh", flavour.script().toString(), command));
        Netns.Result result = router.execAllowingFailure(line.toArray(String[]::new));
        if (command.equals("up") && result.exit() != 0) {
            throw new IllegalStateException("routing up failed: " + result.output());
        }
        return result;
    }

    private List<String> routingSettingsLines() {
        return List.of("WG_IF=" + routerWg, "LAN_IF=lan0", "CLEAN_DNS=" + CLEAN_DNS, "STATE_DIR=" + dir.resolve("route-state"));
    }

    /** Writes the routing script's settings as {@code /etc/default/splitroute} holds them, for doctor; returns the file. */
    public Path routingSettings() throws IOException {
        return Files.writeString(dir.resolve("routing.env"), String.join("\n", routingSettingsLines()) + "\n");
    }

    /** Returns the bytes the router has sent into the tunnel so far ({@code wg show IF transfer}). */
    public long tunnelTxBytes() {
        long total = 0;
        for (String line : router.exec("wg", "show", routerWg, "transfer").split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 3) {
                total += Long.parseLong(fields[2]);
            }
        }
        return total;
    }

    /** Returns how many TCP packets to {@code address} the ISP has answered with a reset so far. */
    public long ispResets(String address) {
        return counted(isp, "ISP_BLOCK", null, address);
    }

    /** Returns the web-server packets to {@code site} that came out of the tunnel (from the VPS). */
    public long webPacketsViaTunnel(Site site) {
        return counted(internet, "LAB_PATH", VPS_PUBLIC, site.address());
    }

    /** Returns the web-server packets to {@code site} that came the direct way (from the ISP). */
    public long webPacketsDirect(Site site) {
        return counted(internet, "LAB_PATH", ISP_PUBLIC, site.address());
    }

    private static long counted(Netns ns, String chain, String source, String destination) {
        String rules = ns.exec("iptables", "-w", "-v", "-S", chain);
        for (String line : rules.split("\n")) {
            Matcher m = COUNTED_RULE.matcher(line);
            if (m.find() && m.group(2).equals(destination) && (source == null || source.equals(m.group(1)))) {
                return Long.parseLong(m.group(3));
            }
        }
        throw new IllegalStateException("no counted rule for " + source + " -> " + destination + " in:\n" + rules);
    }

    /** Returns how many queries for {@code name} {@code type} the clean DNS has received (from its query log). */
    public long cleanDnsQueries(String name, String type) throws IOException {
        return queries(cleanDnsLog, name, type);
    }

    /** Returns how many queries for {@code name} {@code type} the ISP's resolver has received, whatever address they were sent to. */
    public long ispDnsQueries(String name, String type) throws IOException {
        return queries(ispDnsLog, name, type);
    }

    private static long queries(Path dnsmasqLog, String name, String type) throws IOException {
        String needle = "query[" + type + "] " + name + " from ";
        try (var lines = Files.lines(dnsmasqLog)) {
            return lines.filter(line -> line.contains(needle)).count();
        }
    }

    /** Returns the router's routing state ({@link RuleSnapshot}): rules, routes, sets, sysctls. */
    public String routingSnapshot() {
        return RuleSnapshot.of(router, routerWg);
    }

    /** Returns the router's routing state before routing first came up. */
    public String routingSnapshotBeforeUp() {
        return beforeRouting;
    }

    /** Returns the public address of the tunnel's far end (the VPS), as the router's WireGuard knows it. */
    public String tunnelEndpoint() {
        return VPS_PUBLIC;
    }

    /** Returns the work directory of this lab (configs, keys, logs). */
    public Path dir() {
        return dir;
    }

    /** Returns the routing flavour the router runs. */
    public RoutingFlavour flavour() {
        return flavour;
    }

    /** Returns the LAN client's namespace. */
    public Netns client() {
        return client;
    }

    /** Returns the router's namespace. */
    public Netns router() {
        return router;
    }

    /** Returns the router's WireGuard interface name (unique per lab). */
    public String routerWg() {
        return routerWg;
    }

    /** Stops every process by its pid and deletes every namespace, in reverse order of creation. */
    @Override
    public synchronized void close() {
        if (teardown.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        while (!teardown.isEmpty()) {
            try {
                teardown.pop().close();
            } catch (Exception e) {
                System.err.println("lab " + id + " teardown: " + e);
            }
        }
        System.out.printf("lab %s torn down in %d ms%n", id, (System.nanoTime() - start) / 1_000_000);
    }
}
