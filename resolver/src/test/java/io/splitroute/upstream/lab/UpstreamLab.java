package io.splitroute.upstream.lab;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.splitroute.lab.Netns;
import io.splitroute.net.NetTransport;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two network namespaces for the upstream tests, created and removed by the test:
 *
 * <pre>
 *   client ns                                   server ns
 *   tun0 10.77.1.1/30  ---- veth ----  tun0p 10.77.1.2/30     ("the tunnel")
 *   isp0 10.77.2.1/30  ---- veth ----  isp0p 10.77.2.2/30     ("the ISP")
 *                                      lo: 198.51.100.53-55, 203.0.113.53  (the DNS servers)
 * </pre>
 *
 * In the client namespace 198.51.100.0/24 is routed by the ISP (metric 100) and by the tunnel (metric 200, so
 * only a socket bound to tun0 takes it); 203.0.113.53 is unreachable except for packets marked
 * {@link #MARK}, which an ip rule sends through the tunnel (table 100). nftables counts, per interface,
 * the packets the client sends to the servers. The client's event loops ({@link #client()}) and the
 * servers' ({@link #serverTransport()}) run with their threads inside the namespaces.
 */
public final class UpstreamLab implements AutoCloseable {

    /** The DNS servers' address, reached by the ISP by default and by the tunnel when bound to it. */
    public static final InetAddress SERVER = InetAddress.ofLiteral("198.51.100.53");
    /** Two more server addresses, routed like {@link #SERVER}, for servers a test sets up differently. */
    public static final InetAddress SERVER_2 = InetAddress.ofLiteral("198.51.100.54");
    public static final InetAddress SERVER_3 = InetAddress.ofLiteral("198.51.100.55");
    /** A DNS server address reachable only by packets carrying {@link #MARK}. */
    public static final InetAddress MARKED_SERVER = InetAddress.ofLiteral("203.0.113.53");
    /** The mark the ip rule sends through the tunnel. */
    public static final long MARK = 0xca6cL;
    /** The tunnel and ISP interfaces of the client namespace. */
    public static final String TUNNEL = "tun0";
    public static final String ISP = "isp0";

    private final Netns client;
    private final Netns server;
    private final NetTransport clientTransport;
    private final NetTransport serverTransport;

    private UpstreamLab(Netns client, Netns server) {
        this.client = client;
        this.server = server;
        this.clientTransport = transport(client.name());
        this.serverTransport = transport(server.name());
    }

    /** Whether this machine can build the lab: root, iproute2, nftables, native epoll. */
    public static boolean available() {
        try {
            boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
            return root && Epoll.isAvailable() && Files.isExecutable(Path.of("/usr/sbin/nft"))
                    && (Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Builds the namespaces, links, addresses, routes and counters. */
    public static UpstreamLab create() {
        String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        Netns client = Netns.create("sr-up-c-" + id);
        Netns server = null;
        try {
            server = Netns.create("sr-up-s-" + id);
            for (String link : new String[] {TUNNEL, ISP}) {
                client.exec("ip", "link", "add", link, "type", "veth", "peer", "name", link + "p", "netns", server.name());
            }
            client.exec("ip", "addr", "add", "10.77.1.1/30", "dev", TUNNEL);
            client.exec("ip", "addr", "add", "10.77.2.1/30", "dev", ISP);
            server.exec("ip", "addr", "add", "10.77.1.2/30", "dev", TUNNEL + "p");
            server.exec("ip", "addr", "add", "10.77.2.2/30", "dev", ISP + "p");
            for (InetAddress address : new InetAddress[] {SERVER, SERVER_2, SERVER_3}) {
                server.exec("ip", "addr", "add", address.getHostAddress() + "/32", "dev", "lo");
            }
            server.exec("ip", "addr", "add", MARKED_SERVER.getHostAddress() + "/32", "dev", "lo");
            for (String link : new String[] {TUNNEL, ISP}) {
                client.exec("ip", "link", "set", link, "up");
                server.exec("ip", "link", "set", link + "p", "up");
            }
            UpstreamLab lab = new UpstreamLab(client, server);
            lab.routeTunnel();
            client.exec("ip", "route", "add", "198.51.100.0/24", "via", "10.77.2.2", "dev", ISP, "metric", "100");
            client.exec("ip", "route", "add", "unreachable", MARKED_SERVER.getHostAddress() + "/32");
            client.exec("ip", "rule", "add", "fwmark", "0x" + Long.toHexString(MARK), "lookup", "100");
            client.execWithInput("""
                    table inet srlab {
                      chain out {
                        type filter hook output priority 0; policy accept;
                        oifname "tun0" ip daddr { 198.51.100.0/24, 203.0.113.53 } counter
                        oifname "isp0" ip daddr { 198.51.100.0/24, 203.0.113.53 } counter
                      }
                    }
                    """, "nft", "-f", "-");
            return lab;
        } catch (RuntimeException e) {
            client.close();
            if (server != null) {
                server.close();
            }
            throw e;
        }
    }

    /** (Re)adds the tunnel routes: the kernel drops routes through an interface that went down. */
    public void routeTunnel() {
        client.execAllowingFailure("ip", "route", "replace", "198.51.100.0/24", "via", "10.77.1.2",
                "dev", TUNNEL, "metric", "200");
        client.execAllowingFailure("ip", "route", "replace", MARKED_SERVER.getHostAddress() + "/32", "via",
                "10.77.1.2", "dev", TUNNEL, "table", "100");
    }

    /** The client's transport: event loops inside the client namespace. */
    public NetTransport client() {
        return clientTransport;
    }

    /** The servers' transport: event loops inside the server namespace. */
    public NetTransport serverTransport() {
        return serverTransport;
    }

    /** Runs a command in the client namespace. */
    public String inClient(String... command) {
        return client.exec(command);
    }

    /** Packets the client sent to the DNS servers through {@code iface} ({@link #TUNNEL} or {@link #ISP}). */
    public long packetsOut(String iface) {
        String rules = client.exec("nft", "list", "chain", "inet", "srlab", "out");
        Matcher m = Pattern.compile("oifname \"" + Pattern.quote(iface) + "\".*?counter packets (\\d+)").matcher(rules);
        if (!m.find()) {
            throw new IllegalStateException("no counter for " + iface + " in:\n" + rules);
        }
        return Long.parseLong(m.group(1));
    }

    private static NetTransport transport(String namespace) {
        return new NetTransport("epoll",
                new MultiThreadIoEventLoopGroup(2, new NetnsThreads(namespace), EpollIoHandler.newFactory()),
                EpollDatagramChannel.class, EpollSocketChannel.class, EpollServerSocketChannel.class);
    }

    @Override
    public void close() {
        try {
            clientTransport.close();
            serverTransport.close();
        } finally {
            client.close();
            server.close();
        }
    }
}
