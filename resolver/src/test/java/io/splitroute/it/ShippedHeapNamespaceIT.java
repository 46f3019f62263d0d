package io.splitroute.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.lab.Netns;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What used to make the shipped JVM exit or stall, against the packaged jar started with the shipped flags
 * ({@code config/jvm.options}: {@code -Xmx72m ... -XX:+ExitOnOutOfMemoryError}) inside a network namespace the
 * test creates, everything on that namespace's loopback: knot as the upstream, a local HTTP server for the lists,
 * a real ipset that is full, and the clients ({@code dig}, {@code curl}, {@code python3}) run
 * in the namespace. After each case the same process must still answer (no restart: its pid is checked).
 * <ul>
 *   <li>186 names whose answers hold 4 000 A records each (64 KB), asked over TCP: the cache stays within its bytes.</li>
 *   <li>Lists with {@code refresh:} that grow to 20 MiB: downloaded by the running server, one accepted (its
 *       {@code max-bytes} allows it), one rejected at the default {@code max-bytes}.</li>
 *   <li>Those 4 000-address answers written to an ipset that is full: a bounded number of netlink sends per
 *       write, counted with {@code perf stat} (a write used to take one round trip per refused element), every
 *       write acknowledged within the deadline, the full set on {@code /healthz} and counted.</li>
 *   <li>A 200 MB {@code POST /reload}: 413 without the body being read.</li>
 * </ul>
 */
class ShippedHeapNamespaceIT {
    private static final int HUGE_NAMES = 186;
    private static final int RECORDS = 4000;
    private static final int FULL_ROUNDS = 15;
    private static final int LIST_BYTES = 20 << 20;
    private static final int LIST_NAMES = 500;
    private static final Pattern METRIC = Pattern.compile("(?m)^(\\S+?)(\\{[^}]*\\})? (\\S+)$");

    @TempDir
    static Path dir;

    private static Netns ns;
    private static ChildProcess knot;
    private static ChildProcess http;
    private static ChildProcess server;
    private static String fullSet;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(root() && Executables.find("knotd").isPresent() 
                && Executables.find("ipset").isPresent() && Executables.find("curl").isPresent()
                && Executables.find("python3").isPresent(), "needs root, knotd, ipset, curl and python3");
        assertThat(SplitrouteServer.JAR).as("run ./mvnw package first").isRegularFile();
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        ns = Netns.create("sr-heap-" + id);
        fullSet = "full-" + id;
        ns.exec("ipset", "create", fullSet, "hash:ip", "timeout", "0", "maxelem", "16");
        for (int i = 1; i <= 16; i++) {
            ns.exec("ipset", "add", fullSet, "203.0.113." + i);
        }
        knot = startKnot();
        http = startListServer();
        server = startSplitroute();
    }

    @AfterAll
    static void stop() {
        for (ChildProcess p : new ChildProcess[] {server, http, knot}) {
            if (p != null) {
                p.close();
            }
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void hugeAnswersOverTcp_cacheStaysWithinItsBytesAndTheServerLives() throws Exception {
        long pid = server.pid();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < HUGE_NAMES; i++) {
            names.add(hugeName(i));
        }

        List<String> replies = askOverTcp(names, 3);

        assertAlive(pid);
        assertThat(replies).as("every name answered with its %d records", RECORDS)
                .hasSize(HUGE_NAMES).allMatch(line -> line.endsWith(" 0 " + RECORDS));
        assertThat(dig("+tcp", hugeName(7)).lines().filter(l -> l.contains("\tA\t")).count()).isEqualTo(RECORDS);
        String metrics = metrics();
        assertThat(metric(metrics, "dns_cache_weight_bytes")).isPositive()
                .isLessThanOrEqualTo(metric(metrics, "dns_cache_max_weight_bytes"));
        assertThat(metric(metrics, "cache_evictions_total")).as("the byte bound evicted").isPositive();
    }

    @Test
    void twentyMegabyteListsRefreshedByTheServer_oneTakenOneCappedAndTheServerLives() throws Exception {
        long pid = server.pid();
        Path www = dir.resolve("www");
        writeBigList(www.resolve("big.txt"));
        Files.copy(www.resolve("big.txt"), www.resolve("capped.txt.part"));
        Files.move(www.resolve("capped.txt.part"), www.resolve("capped.txt"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);

        String log = awaitLog("list refresh: capped: rejected", 90);
        awaitLog("list refresh: big: ", 30);
        String metrics = awaitMetric("lists_rules{list=\"big\"} " + (LIST_NAMES + 1.0), 30);

        assertAlive(pid);
        assertThat(log).contains("list refresh: capped: rejected: larger than max-bytes (8388608 bytes)");
        assertThat(metric(metrics, "lists_rules{list=\"capped\"}")).as("the capped list stays").isEqualTo(20);
        assertThat(Files.size(dir.resolve("big.txt"))).as("the list in service").isEqualTo(Files.size(www.resolve("big.txt")));
        assertThat(dig("d1.listed.test")).contains("192.0.2.1");
    }

    @Test
    void hugeAnswersIntoAFullSet_everyWriteBoundedAndTheFullSetReported() throws Exception {
        assumeTrue(Executables.find("perf").isPresent(), "needs perf (linux-perf) to count the server's netlink sends");
        long pid = server.pid();
        List<String> names = new ArrayList<>();
        for (int round = 0; round < FULL_ROUNDS; round++) {
            for (int i = 0; i < 20; i++) {
                names.add(hugeName(i)); // misses first, then cache hits: every one a write
            }
        }
        List<String> replies = new ArrayList<>();

        long sends = serverSendsWhileAsking(names, 4, replies);

        assertAlive(pid);
        assertThat(replies).hasSize(FULL_ROUNDS * 20).allMatch(line -> line.endsWith(" 0 " + RECORDS));
        // A write used to take one netlink round trip per refused element (4 000 here, 0.38 s: 1.2 million sends
        // in all); now a few sends of up to 512 messages in at most two rounds (about 10 a query measured).
        assertThat(sends).as("sendto calls for %d writes of %d refused elements", FULL_ROUNDS * 20, RECORDS)
                .isLessThan(FULL_ROUNDS * 20L * 40);
        String metrics = metrics();
        assertThat(metric(metrics, "dns_set_full_total{set=\"full\"}")).as("refused elements")
                .isGreaterThanOrEqualTo(FULL_ROUNDS * 20.0 * RECORDS);
        assertThat(metric(metrics, "dns_set_deadline_missed_total"))
                .as("writes of 4 000 refused elements acknowledged within the 2 s deadline").isZero();
        assertThat(ns.execAllowingFailure("curl", "-s", "http://127.0.0.1:9153/healthz").output())
                .contains("set full (ipset " + fullSet + ") is full: 16 of maxelem 16; raise maxelem");
        assertThat(dig("g1.good.test")).contains("192.0.2.1");
    }

    @Test
    void twoHundredMegabytePostToReload_refused413UnreadAndTheServerLives() throws Exception {
        long pid = server.pid();
        Netns.Result post = ns.execAllowingFailure("python3", "-c", """
                import socket
                s = socket.create_connection(("127.0.0.1", 9153), timeout=10)
                s.sendall(b"POST /reload HTTP/1.1\\r\\nHost: 127.0.0.1:9153\\r\\nContent-Type: application/octet-stream\\r\\n"
                          b"Content-Length: 209715200\\r\\n\\r\\n")
                chunk, sent = b"x" * (1 << 20), 0
                try:
                    while sent < 200:
                        s.sendall(chunk)
                        sent += 1
                except OSError:
                    pass
                print("sent MiB", sent)
                print(s.recv(4096).split(b"\\r\\n")[0].decode())
                """);

        assertAlive(pid);
        assertThat(post.output()).as(post.output()).contains("HTTP/1.1 413");
        assertThat(post.output()).as("the server stopped taking the body").doesNotContain("sent MiB 200");
        assertThat(ns.execAllowingFailure("curl", "-s", "http://127.0.0.1:9153/healthz").output()).doesNotContain("reload");
        assertThat(dig("g2.good.test")).contains("192.0.2.1");
    }

    private static ChildProcess startKnot() throws IOException {
        Path knotDir = Files.createDirectories(dir.resolve("knot"));
        Files.writeString(knotDir.resolve("good.test.zone"), """
                $ORIGIN good.test.
                $TTL 3600
                @   SOA ns.good.test. hostmaster.good.test. 1 3600 600 86400 300
                @   NS  ns
                ns  A   192.0.2.53
                *   A   192.0.2.1
                """);
        Files.writeString(knotDir.resolve("listed.test.zone"), Files.readString(knotDir.resolve("good.test.zone"))
                .replace("good.test", "listed.test"));
        try (Writer zone = Files.newBufferedWriter(knotDir.resolve("huge.test.zone"))) {
            zone.write("$ORIGIN huge.test.\n$TTL 3600\n@ SOA ns.huge.test. hostmaster.huge.test. 1 3600 600 86400 300\n"
                    + "@ NS ns\nns A 192.0.2.53\n");
            for (int n = 0; n < HUGE_NAMES; n++) {
                for (int r = 0; r < RECORDS; r++) {
                    zone.write("h" + n + " A 198." + (18 + n % 2) + "." + (r >> 8) + "." + (r & 0xff) + "\n");
                }
            }
        }
        Files.writeString(knotDir.resolve("knot.conf"), """
                server:
                    rundir: %1$s
                    listen: 127.0.0.1@5300
                    udp-workers: 1
                    tcp-workers: 2
                    background-workers: 1
                database:
                    storage: %1$s
                log:
                  - target: stderr
                    any: notice
                template:
                  - id: default
                    storage: %1$s
                    file: "%%s.zone"
                    journal-content: none
                    zonefile-sync: -1
                zone:
                  - domain: good.test
                  - domain: listed.test
                  - domain: huge.test
                """.formatted(knotDir));
        ChildProcess process = ns.spawn("knotd", knotDir.resolve("knotd.log"), Executables.find("knotd").orElseThrow()
                .toString(), "-c", knotDir.resolve("knot.conf").toString());
        await(process, () -> ns.execAllowingFailure("dig", "+short", "+time=1", "+tries=1", "-p", "5300",
                "@127.0.0.1", "h0.huge.test").output().contains("198."), 60);
        return process;
    }

    /** {@code python3 -m http.server} on the namespace's loopback, serving {@code dir/www}. */
    private static ChildProcess startListServer() throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.write(www.resolve("big.txt"), smallList());
        Files.write(www.resolve("capped.txt"), smallList());
        ChildProcess process = ns.spawn("http", dir.resolve("http.log"), "python3", "-m", "http.server", "8080",
                "--bind", "127.0.0.1", "--directory", www.toString());
        await(process, () -> ns.execAllowingFailure("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "http://127.0.0.1:8080/big.txt").output().equals("200"), 30);
        return process;
    }

    private static ChildProcess startSplitroute() throws IOException {
        Files.write(dir.resolve("big.txt"), smallList());
        Files.write(dir.resolve("capped.txt"), smallList());
        Path config = Files.writeString(dir.resolve("splitroute.yaml"), """
                listen: ["127.0.0.1:5353"]
                upstreams: { knot: ["udp://127.0.0.1:5300"] }
                upstream-timeout: 5s
                lists:
                  big: { file: %1$s/big.txt, url: "http://127.0.0.1:8080/big.txt", refresh: 5s, format: domains, max-bytes: 32m }
                  capped: { file: %1$s/capped.txt, url: "http://127.0.0.1:8080/capped.txt", refresh: 5s, format: domains }
                sets: { full: { type: ipset, name: %2$s } }
                routes:
                  - { name: huge, domains: [huge.test], upstream: knot, sets: [full] }
                  - { name: listed, lists: [big, capped], upstream: knot }
                default-upstream: knot
                cache: { max-answer-bytes: 1m }
                set-max-addresses: 4096
                set-write-deadline: 2s
                admin: { listen: "127.0.0.1:9153" }
                """.formatted(dir, fullSet));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ShippedJvmFlags.read());
        command.addAll(List.of("-jar", SplitrouteServer.JAR.toAbsolutePath().toString(), "run", "--config",
                config.toString()));
        ChildProcess process = ns.spawn("splitroute", dir.resolve("splitroute.log"), command.toArray(String[]::new));
        await(process, () -> dig("g0.good.test").contains("192.0.2.1"), 60);
        return process;
    }

    /** 20 names of listed.test: the lists in service before any download. */
    private static byte[] smallList() {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            list.append("s").append(i).append(".listed.test\n");
        }
        return list.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** About 20 MiB of {@value #LIST_NAMES} distinct names repeated, plus listed.test itself. */
    private static void writeBigList(Path file) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < LIST_NAMES; i++) {
            block.append('d').append(i).append(".listed.test\n");
        }
        byte[] bytes = block.toString().getBytes(StandardCharsets.US_ASCII);
        try (var out = Files.newOutputStream(part)) {
            out.write("listed.test\n".getBytes(StandardCharsets.US_ASCII));
            for (long written = 0; written < LIST_BYTES; written += bytes.length) {
                out.write(bytes);
            }
        }
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Asks {@code names} for A over TCP from inside the namespace ({@code tcp-queries.py}), {@code workers} at a
     * time, each query on its own connection with a 20 s timeout; returns "NAME RCODE ANSWERS" per name.
     */
    private static List<String> askOverTcp(List<String> names, int workers) throws Exception {
        return run(List.of(), clientCommand(names, workers));
    }

    /**
     * Like {@link #askOverTcp}, counting the server's {@code sendto} calls meanwhile ({@code perf stat} on the
     * syscall tracepoint: the netlink writes go out through sendto); returns the count.
     */
    private static long serverSendsWhileAsking(List<String> names, int workers, List<String> replies) throws Exception {
        Path counts = dir.resolve("perf-sendto.csv");
        replies.addAll(run(List.of(Executables.find("perf").orElseThrow().toString(), "stat", "-x", ",", "-o",
                counts.toString(), "-e", "syscalls:sys_enter_sendto", "-p", Long.toString(server.pid()), "--"),
                clientCommand(names, workers)));
        return Files.readAllLines(counts).stream().filter(l -> l.contains("sys_enter_sendto"))
                .mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(',')))).findFirst()
                .orElseThrow(() -> new AssertionError("no count in " + counts));
    }

    private static List<String> clientCommand(List<String> names, int workers) throws IOException {
        Path script = dir.resolve("tcp-queries.py");
        if (!Files.exists(script)) {
            try (var in = ShippedHeapNamespaceIT.class.getResourceAsStream("tcp-queries.py")) {
                Files.write(script, in.readAllBytes());
            }
        }
        return List.of("ip", "netns", "exec", ns.name(), "python3", script.toString(), "5353",
                String.join(",", names), Integer.toString(workers));
    }

    /** Runs {@code prefix + command} (at most 120 s); returns its output lines. */
    private static List<String> run(List<String> prefix, List<String> command) throws Exception {
        Path log = dir.resolve("client.txt");
        Files.deleteIfExists(log);
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        ChildProcess client = ChildProcess.start("client", full, log);
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (client.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(client.isAlive()).as("the client finished within 120 s").isFalse();
        } finally {
            client.close();
        }
        return Files.readAllLines(log);
    }

    private static String hugeName(int i) {
        return "h" + i + ".huge.test";
    }

    private static String dig(String... args) {
        List<String> command = new ArrayList<>(List.of("dig", "-p", "5353", "@127.0.0.1", "+time=5", "+tries=1"));
        command.addAll(List.of(args));
        return ns.execAllowingFailure(command.toArray(String[]::new)).output();
    }

    private static String metrics() {
        return ns.execAllowingFailure("curl", "-s", "-m", "10", "http://127.0.0.1:9153/metrics").output();
    }

    private static String awaitMetric(String line, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String scrape = metrics();
        while (scrape.lines().noneMatch(line::equals) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            scrape = metrics();
        }
        return scrape;
    }

    private static String awaitLog(String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String log = Files.readString(dir.resolve("splitroute.log"));
        while (!log.contains(text) && System.nanoTime() < deadline && server.isAlive()) {
            Thread.sleep(500);
            log = Files.readString(dir.resolve("splitroute.log"));
        }
        assertThat(log).as("%s in the log within %d s; %s", text, seconds, server.describe()).contains(text);
        return log;
    }

    private static void assertAlive(long pid) {
        assertThat(server.isAlive()).as(server.describe()).isTrue();
        assertThat(server.pid()).isEqualTo(pid);
    }

    private static void await(ChildProcess process, java.util.function.BooleanSupplier ready, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!ready.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.close();
                throw new IllegalStateException(process.name() + " not ready within " + seconds + " s: "
                        + process.describe());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean root() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
        } catch (IOException e) {
            return false;
        }
    }

    private static double metric(String scrape, String name) {
        Matcher m = METRIC.matcher(scrape);
        while (m.find()) {
            if ((m.group(2) == null ? m.group(1) : m.group(1) + m.group(2)).equals(name) || m.group(1).equals(name)) {
                return Double.parseDouble(m.group(3));
            }
        }
        throw new AssertionError(name + " not in /metrics:\n" + scrape);
    }
}
