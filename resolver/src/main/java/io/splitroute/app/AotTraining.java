package io.splitroute.app;

import io.splitroute.config.ConfigLoader;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.InlineSetWriter;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.NftSetTarget;
import io.splitroute.sink.SetException;
import io.splitroute.sink.SetTarget;
import io.splitroute.sink.SetWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The training run behind splitroute's ahead-of-time cache (JDK 25: {@code java -XX:AOTCacheOutput=FILE -cp
 * splitroute.jar io.splitroute.app.AotTraining}): starts a resolver as {@code run} does, on loopback, with a
 * domain list, a route with sets (recorded, not written: no privilege needed) and an upstream answering inside
 * this process, and asks it what a router is asked: new names, cached names, AAAA, a listed name, answers with a
 * CNAME chain and with an address outside it (the set stage's filter), TCP, a route explanation, the admin
 * listener's /healthz and /metrics, and a reload; then it stops (the cache written to its file) and starts again
 * from that file (the sets refilled). Then it stops, and the JVM writes the classes it loaded and linked and the profiles
 * of the methods it ran, which every later start maps instead of loading, linking and profiling them again.
 * The packaging runs it with the runtime it ships; the launcher runs it for another Java. It touches nothing
 * outside a temporary directory and loopback, and takes a few seconds.
 */
public final class AotTraining {
    /** Names asked once each (cache misses); a few seconds even on a small router. */
    private static final int MISSES = 3_000;
    /** Rounds over the cached names (cache hits). */
    private static final int HIT_ROUNDS = 60;
    private static final int HIT_NAMES = 50;

    private AotTraining() {}

    /** Runs the training; exit status 0 when the resolver answered, 1 otherwise. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("splitroute-aot");
        boolean answered;
        try (Responder upstream = Responder.start()) {
            answered = train(dir, upstream.port());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        System.exit(answered ? 0 : 1);
    }

    private static boolean train(Path dir, int upstreamPort) throws Exception {
        int port = freePort();
        int adminPort = freeTcpPort();
        Path list = dir.resolve("accelerated-domains.china.conf");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            lines.append("server=/d").append(i).append(".example.cn/127.0.0.1\n");
        }
        Files.writeString(list, lines);
        Path config = dir.resolve("splitroute.yaml");
        Files.writeString(config, """
                listen: ["127.0.0.1:%1$d"]
                admin: { listen: "127.0.0.1:%4$d" }
                cache: { size: 5000, max-bytes: 4m, stale: 1d, prefetch: true, persist: %5$s }
                upstreams: { clean: ["udp://127.0.0.1:%2$d"], isp: ["udp://127.0.0.1:%2$d"] }
                lists:
                  gfwlist: { file: "bundled:gfwlist", format: gfwlist }
                  china: { file: %3$s, format: dnsmasq }
                sets: { gfw4: { type: ipset, name: splitroute-aot, create: true } }
                routes:
                  - { name: tunnel, lists: [gfwlist], upstream: clean, sets: [gfw4] }
                  - { name: domestic, lists: [china], upstream: isp }
                default-upstream: isp
                """.formatted(port, upstreamPort, list, adminPort, dir.resolve("cache.bin")));
        SplitrouteConfig loaded = ConfigLoader.load(config);
        probeKernelSets();
        boolean answered = serveAndAsk(loaded, config, port, adminPort);
        // Again from the cache file the first run left: the restore path every start with persist: takes.
        Lifecycle again = new Lifecycle(loaded, config, true, "splitroute (training)");
        again.start();
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(2_000);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            return answered && ask(client, server, "n1.training.test", Type.A) == 1;
        } finally {
            again.stop();
        }
    }

    private static boolean serveAndAsk(SplitrouteConfig loaded, Path config, int port, int adminPort) throws Exception {
        Lifecycle lifecycle = new Lifecycle(loaded, config, true, "splitroute (training)");
        lifecycle.start();
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(2_000);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            int answered = 0;
            for (int i = 0; i < MISSES; i++) {
                answered += ask(client, server, "n" + i + ".training.test", Type.A);
                if (i % 10 == 0) {
                    answered += ask(client, server, "www" + i + ".google.com", Type.A);
                    answered += ask(client, server, "cname" + i + ".google.com", Type.A);
                    answered += ask(client, server, "x" + i + ".d" + (i % 2_000) + ".example.cn", Type.AAAA);
                }
            }
            for (int r = 0; r < HIT_ROUNDS; r++) {
                for (int i = 0; i < HIT_NAMES; i++) {
                    answered += ask(client, server, "n" + i + ".training.test", r % 2 == 0 ? Type.A : Type.AAAA);
                    answered += ask(client, server, "www" + i * 10 + ".google.com", Type.A);
                }
            }
            answered += ask(client, server, "www.google.com", Type.TXT, DClass.CH); // a route explanation
            tcp(server);
            admin(adminPort, "/healthz");
            admin(adminPort, "/metrics");
            lifecycle.reload();
            answered += ask(client, server, "after-reload.training.test", Type.A);
            return answered > MISSES;
        } finally {
            lifecycle.stop();
        }
    }

    /**
     * The kernel set writer's side (netlink, ipset, nftables) as a start opens it, which the resolver above, a dry
     * run, leaves out: a probe of sets that do not exist. Nothing is written; without CAP_NET_ADMIN the kernel
     * refuses the probe, which is fine here.
     */
    private static void probeKernelSets() {
        try (SetWriter writer = InlineSetWriter.open(null, () -> null)) {
            for (SetTarget target : List.of(new IpsetTarget("splitroute-aot-none", AddressFamily.INET),
                    new NftSetTarget("inet", "splitroute-aot-none", "none", AddressFamily.INET))) {
                try {
                    writer.probe(target);
                } catch (SetException expected) {
                    // no such set (or no privilege): the classes and the calls are what the training is for
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // no netlink here (another OS, no native access): a start without sets
        }
    }

    private static int ask(DatagramSocket client, InetSocketAddress server, String name, int type) throws IOException {
        return ask(client, server, name, type, DClass.IN);
    }

    private static int ask(DatagramSocket client, InetSocketAddress server, String name, int type, int dclass)
            throws IOException {
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, dclass)).toWire();
        client.send(new DatagramPacket(query, query.length, server));
        byte[] buffer = new byte[1500];
        try {
            client.receive(new DatagramPacket(buffer, buffer.length));
            return 1;
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }

    private static void tcp(InetSocketAddress server) throws IOException {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(2_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int i = 0; i < 20; i++) {
                byte[] query = Message.newQuery(Record.newRecord(Name.fromString("t" + i + ".training.test."), Type.A, DClass.IN)).toWire();
                out.writeShort(query.length);
                out.write(query);
                out.flush();
                in.readFully(new byte[in.readUnsignedShort()]);
            }
        }
    }

    /** Asks the admin listener for {@code path} and reads the reply (what a monitoring scrape does). */
    private static void admin(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getInputStream().readAllBytes();
        } catch (SocketTimeoutException e) {
            // the training goes on: only the classes and profiles matter here
        }
    }

    private static int freeTcpPort() throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static int freePort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /**
     * The upstream of the training: answers every A query with 192.0.2.1 and anything else with no records; a name
     * starting with {@code cname} through a CNAME to {@code target.training.test}, with a foreign address record
     * appended (which the set stage keeps out of the sets).
     */
    private static final class Responder implements AutoCloseable {
        private final DatagramSocket socket;
        private final Thread thread;

        private Responder(DatagramSocket socket) {
            this.socket = socket;
            this.thread = Thread.ofPlatform().daemon().name("training-upstream").start(this::serve);
        }

        static Responder start() throws IOException {
            return new Responder(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                    Message reply = new Message(query.getHeader().getID());
                    reply.getHeader().setFlag(Flags.QR);
                    reply.getHeader().setFlag(Flags.RA);
                    Record question = query.getQuestion();
                    reply.addRecord(question, Section.QUESTION);
                    if (question.getType() == Type.A) {
                        Name owner = question.getName();
                        if (owner.getLabelString(0).startsWith("cname")) {
                            Name target = Name.fromString("target.training.test.");
                            reply.addRecord(new CNAMERecord(owner, DClass.IN, 300, target), Section.ANSWER);
                            owner = target;
                            reply.addRecord(new ARecord(Name.fromString("foreign.training.test."), DClass.IN, 300,
                                    InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 9})), Section.ANSWER);
                        }
                        reply.addRecord(new ARecord(owner, DClass.IN, 300,
                                InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1})), Section.ANSWER);
                    }
                    byte[] wire = reply.toWire();
                    socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                } catch (IOException | RuntimeException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            thread.join(1_000);
        }
    }
}
