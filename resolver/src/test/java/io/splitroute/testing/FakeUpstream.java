package io.splitroute.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An in-process DNS server on 127.0.0.1 for tests: UDP and TCP on the same ephemeral port, answers programmed
 * per name, every query recorded.
 *
 * <pre>{@code
 * try (FakeUpstream fake = FakeUpstream.start()) {
 *     fake.answer("a.example.", Type.A, 300, "192.0.2.1")
 *         .cname("www.example.", 60, "a.example.")          // A www.example. -> CNAME + A 192.0.2.1
 *         .nxdomain("nx.example.", 600)                      // NXDOMAIN, SOA minimum 600
 *         .servfail("broken.example.")
 *         .truncateUdp("big.example.")                       // TC=1 over UDP, full answer over TCP
 *         .append("a.example.", foreignRecord)               // appended to every answer for a.example.
 *         .spoof("victim.example.", SpoofMode.WRONG_ID);     // forged reply first, real one 30 ms later
 *     String upstream = fake.udpUri();                       // "udp://127.0.0.1:40123"
 *     // ... run the code under test against fake.address() ...
 *     assertThat(fake.queryCount("a.example.", Type.A)).isEqualTo(1);
 *     assertThat(fake.received()).allMatch(q -> q.transport() == FakeUpstream.Transport.UDP);
 * }
 * }</pre>
 *
 * <h2>How a query is answered</h2>
 * <ul>
 *   <li>Names are matched case-insensitively; a trailing dot is optional in every method taking a name.
 *       Rules are exact names, not suffixes.</li>
 *   <li>A name's rules combine: records per type, one rcode ({@link #nxdomain}, {@link #servfail},
 *       {@link #refused}; {@link #answer} clears it), and modifiers ({@link #delay}, {@link #silent},
 *       {@link #truncateUdp}, {@link #spoof}) that apply to every type of that name.</li>
 *   <li>A known name without records of the asked type gets NODATA (NOERROR, empty answer, SOA in the
 *       authority section). If it has a CNAME, the reply holds the CNAME and the target's records (chains are
 *       followed, up to 8 hops; a target set up with {@link #nxdomain} makes the reply NXDOMAIN).</li>
 *   <li>Unknown names get NXDOMAIN by default, or a wildcard answer after {@link #unknownWildcard}.</li>
 *   <li>Every reply copies the query's ID, question (case preserved), opcode, RD and CD flags, and sets QR and
 *       RA. If the query had an OPT record, the reply has one (payload 1232, DO copied).</li>
 *   <li>Over UDP a reply is cut to the query's EDNS payload size (512 without EDNS) with TC=1 when it does
 *       not fit, like a real server; over TCP it is whole. Use {@link #largeAnswer} to exercise this.</li>
 *   <li>NXDOMAIN and NODATA carry the SOA of the parent zone ({@code nx.example.} gets {@code example.})
 *       whose TTL and minimum are the negative TTL (default 300 s).</li>
 *   <li>TCP connections accept several length-prefixed queries each; replies are written as they are ready
 *       (so a delayed name's reply can come after a later query's). {@link #tcpConnections()} counts
 *       connections, {@link #closeTcpConnections()} closes them like a server's idle timeout.</li>
 * </ul>
 *
 * <p>All methods are thread-safe and may be called while queries are in flight; a change applies to queries
 * that arrive after it. Close the fake to free its port and its event loop thread.
 */
public final class FakeUpstream implements AutoCloseable {

    /** The address every forged ({@link #spoof spoofed}) reply answers with; it must never reach a client. */
    public static final String POISON_ADDRESS = "203.0.113.66";

    /** The transport a query arrived on. */
    public enum Transport {
        /** A datagram on the fake's UDP socket. */
        UDP,
        /** A length-prefixed message on a TCP connection to the fake. */
        TCP
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int BIND_ATTEMPTS = 20;

    private final Map<Name, NameRule> rules = new ConcurrentHashMap<>();
    private final Queue<ReceivedQuery> received = new ConcurrentLinkedQueue<>(); // cheap appends under load
    private final FakeResponder responder = new FakeResponder(this::rule);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicInteger tcpConnections = new AtomicInteger();
    private final ChannelGroup tcpChildren = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile long wildcardTtl = -1;
    private final InetAddress bindAddress;
    private Channel udp;
    private Channel tcp;
    private Channel spoofSocket;

    private FakeUpstream(InetAddress bindAddress) {
        this.bindAddress = bindAddress;
    }

    /**
     * Starts a fake on 127.0.0.1, UDP and TCP on the same free port, answering NXDOMAIN to everything until
     * programmed.
     *
     * @throws IllegalStateException if no port free for both UDP and TCP was found
     */
    public static FakeUpstream start() {
        return start(LOOPBACK);
    }

    /**
     * Starts a fake on another loopback address, such as {@code ::1} for IPv6 tests or {@code 127.0.0.2}.
     *
     * @throws IllegalArgumentException if {@code loopback} is not a loopback address (tests talk to loopback
     *     only)
     * @throws IllegalStateException if no port free for both UDP and TCP was found
     */
    public static FakeUpstream start(InetAddress loopback) {
        if (!loopback.isLoopbackAddress()) {
            throw new IllegalArgumentException("FakeUpstream binds loopback only, not " + loopback);
        }
        FakeUpstream fake = new FakeUpstream(loopback);
        try {
            fake.bind();
            return fake;
        } catch (RuntimeException e) {
            fake.close();
            throw e;
        }
    }

    private void bind() {
        spoofSocket = bindUdp(0, new ChannelInboundHandlerAdapter()).channel(); // sends only; drops input
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            ChannelFuture udpBind = bindUdp(0, new UdpHandler());
            if (!udpBind.isSuccess()) {
                continue;
            }
            int port = ((InetSocketAddress) udpBind.channel().localAddress()).getPort();
            ChannelFuture tcpBind = bindTcp(port);
            if (tcpBind.isSuccess()) {
                udp = udpBind.channel();
                tcp = tcpBind.channel();
                return;
            }
            udpBind.channel().close().syncUninterruptibly();
        }
        throw new IllegalStateException("no port free for both UDP and TCP on " + bindAddress.getHostAddress()
                + " after " + BIND_ATTEMPTS + " attempts");
    }

    private ChannelFuture bindUdp(int port, io.netty.channel.ChannelHandler handler) {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(handler)
                .bind(bindAddress, port).awaitUninterruptibly();
    }

    private ChannelFuture bindTcp(int port) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        tcpConnections.incrementAndGet();
                        tcpChildren.add(ch);
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(0xFFFF, 0, 2, 0, 2),
                                new LengthFieldPrepender(2), new TcpHandler());
                    }
                })
                .bind(bindAddress, port).awaitUninterruptibly();
    }

    // ---- where it listens -------------------------------------------------------------------------------

    /** The port, the same for UDP and TCP. */
    public int port() {
        return ((InetSocketAddress) udp.localAddress()).getPort();
    }

    /** The address to send queries to: 127.0.0.1 (or the one given to {@link #start(InetAddress)}) and the port. */
    public InetSocketAddress address() {
        return new InetSocketAddress(bindAddress, port());
    }

    /** This fake as an upstream URI over UDP: {@code udp://127.0.0.1:PORT}, or {@code udp://[::1]:PORT}. */
    public String udpUri() {
        return "udp://" + hostPort();
    }

    /** This fake as an upstream URI over TCP: {@code tcp://127.0.0.1:PORT}, or {@code tcp://[::1]:PORT}. */
    public String tcpUri() {
        return "tcp://" + hostPort();
    }

    private String hostPort() {
        String host = bindAddress instanceof java.net.Inet6Address ? "[::1]" : bindAddress.getHostAddress();
        return host + ":" + port();
    }

    // ---- programming answers ----------------------------------------------------------------------------

    /**
     * Answers {@code name}/{@code type} with one record per {@code rdata}, each in zone-file presentation form
     * ({@code "192.0.2.1"} for A, {@code "2001:db8::1"} for AAAA, {@code "target.example."} for CNAME,
     * {@code "10 mx.example."} for MX, {@code "\"some text\""} for TXT). Replaces earlier records of that type
     * and clears an rcode set on the name.
     *
     * @throws IllegalArgumentException if an rdata does not parse for the type
     */
    public FakeUpstream answer(String name, int type, long ttl, String... rdata) {
        Name owner = name(name);
        List<Record> list = new ArrayList<>(rdata.length);
        for (String data : rdata) {
            try {
                list.add(Record.fromString(owner, type, DClass.IN, ttl, data, Name.root));
            } catch (IOException e) {
                throw new IllegalArgumentException("bad " + Type.string(type) + " rdata for " + name + ": '"
                        + data + "': " + e.getMessage(), e);
            }
        }
        return records(owner, type, list);
    }

    /**
     * Answers with the given records, grouped by their owner name and type (replacing earlier records of that
     * name and type). For anything {@link #answer} cannot express.
     */
    public FakeUpstream answer(Record... records) {
        Map<Name, Map<Integer, List<Record>>> grouped = new java.util.LinkedHashMap<>();
        for (Record r : records) {
            grouped.computeIfAbsent(r.getName(), n -> new java.util.LinkedHashMap<>())
                    .computeIfAbsent(r.getType(), t -> new ArrayList<>()).add(r);
        }
        grouped.forEach((owner, byType) -> byType.forEach((type, list) -> records(owner, type, list)));
        return this;
    }

    /**
     * Makes {@code name} a CNAME to {@code target}: a query of any other type gets the CNAME followed by the
     * target's records of that type (program the target too, or it is answered as an unknown name).
     */
    public FakeUpstream cname(String name, long ttl, String target) {
        return answer(name, Type.CNAME, ttl, name(target).toString());
    }

    /**
     * Adds {@code records} to the answer section of every NOERROR reply to {@code name} (after its own answer),
     * whatever their owner names: what a hostile or broken upstream does ({@code victim.example. A
     * 203.0.113.66} appended to the answer for a tunnelled name). Calls add up; {@link #forget} clears them.
     */
    public FakeUpstream append(String name, Record... records) {
        return update(name, r -> r.withAppended(List.of(records)));
    }

    /** Answers TXT for {@code name} with one record holding {@code strings} (each a character-string). */
    public FakeUpstream txt(String name, long ttl, String... strings) {
        Name owner = name(name);
        return records(owner, Type.TXT, List.of(new TXTRecord(owner, DClass.IN, ttl, List.of(strings))));
    }

    /**
     * Answers A for {@code name} with {@code count} distinct addresses (192.0.2.1-254, then 198.51.100.1-254,
     * then 203.0.113.1-254 except {@link #POISON_ADDRESS}), to exceed UDP payload sizes: about 16 bytes per
     * record, so 40 records pass 512 bytes and 100 pass 1232.
     *
     * @param count 1 to 700
     */
    public FakeUpstream largeAnswer(String name, int count, long ttl) {
        if (count < 1 || count > 700) {
            throw new IllegalArgumentException("largeAnswer count must be 1..700, was " + count);
        }
        Name owner = name(name);
        List<Record> list = new ArrayList<>(count);
        String[] nets = {"192.0.2.", "198.51.100.", "203.0.113."};
        for (int i = 0; list.size() < count; i++) {
            String ip = nets[i / 254] + (i % 254 + 1);
            if (!ip.equals(POISON_ADDRESS)) {
                list.add(new ARecord(owner, DClass.IN, ttl, address(ip)));
            }
        }
        return records(owner, Type.A, list);
    }

    /**
     * Answers NXDOMAIN for {@code name} (every type), with the parent zone's SOA whose TTL and minimum are
     * {@code soaMinimum} seconds, so a cache keeps the negative answer that long (RFC 2308).
     */
    public FakeUpstream nxdomain(String name, long soaMinimum) {
        return update(name, r -> r.withRcode(Rcode.NXDOMAIN, soaMinimum));
    }

    /**
     * Makes {@code name} known with NODATA for every type that has no records: NOERROR, empty answer, SOA with
     * TTL and minimum {@code soaMinimum} seconds.
     */
    public FakeUpstream nodata(String name, long soaMinimum) {
        return update(name, r -> r.withRcode(-1, soaMinimum));
    }

    /** Answers SERVFAIL for {@code name} (every type). */
    public FakeUpstream servfail(String name) {
        return update(name, r -> r.withRcode(Rcode.SERVFAIL, r.negativeTtl()));
    }

    /** Answers REFUSED for {@code name} (every type). */
    public FakeUpstream refused(String name) {
        return update(name, r -> r.withRcode(Rcode.REFUSED, r.negativeTtl()));
    }

    /** Never answers {@code name}, over UDP or TCP (the query is still recorded). */
    public FakeUpstream silent(String name) {
        return update(name, NameRule::withSilent);
    }

    /** Sends the (real) reply for {@code name} only after {@code delay}. */
    public FakeUpstream delay(String name, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return update(name, r -> r.withDelay(delay));
    }

    /** Over UDP, answers {@code name} with TC=1 and no records (question and OPT kept); over TCP, in full. */
    public FakeUpstream truncateUdp(String name) {
        return update(name, NameRule::withTruncateUdp);
    }

    /**
     * Sends a forged reply for {@code name} (see {@link SpoofMode}; it answers {@link #POISON_ADDRESS}) at
     * once, then the real reply 30 ms later (or after the {@link #delay}, if longer).
     */
    public FakeUpstream spoof(String name, SpoofMode mode) {
        Objects.requireNonNull(mode, "mode");
        return update(name, r -> r.withSpoof(mode, true));
    }

    /** Sends only a forged reply for {@code name} (see {@link SpoofMode}), never the real one. */
    public FakeUpstream spoofOnly(String name, SpoofMode mode) {
        Objects.requireNonNull(mode, "mode");
        return update(name, r -> r.withSpoof(mode, false));
    }

    /** Answers unknown names with NXDOMAIN (SOA minimum 300 s). This is the default. */
    public FakeUpstream unknownNxdomain() {
        wildcardTtl = -1;
        return this;
    }

    /**
     * Answers unknown names like a wildcard zone: A gets {@link #wildcardAddress(String)}, AAAA gets
     * {@link #wildcardAddress6(String)}, other types NODATA; TTL {@code ttl} seconds.
     */
    public FakeUpstream unknownWildcard(long ttl) {
        if (ttl < 0) {
            throw new IllegalArgumentException("ttl must be >= 0, was " + ttl);
        }
        wildcardTtl = ttl;
        return this;
    }

    /** The IPv4 address a wildcard answer gives {@code name}: 192.0.2.1-254, stable per lower-cased name. */
    public static String wildcardAddress(String name) {
        return "192.0.2." + (Math.floorMod(name(name).toString().toLowerCase(java.util.Locale.ROOT).hashCode(),
                254) + 1);
    }

    /** The IPv6 address a wildcard answer gives {@code name}: 2001:db8::1-fe, same host part as the IPv4 one. */
    public static String wildcardAddress6(String name) {
        String v4 = wildcardAddress(name);
        return "2001:db8::" + Integer.toHexString(Integer.parseInt(v4.substring(v4.lastIndexOf('.') + 1)));
    }

    /** Forgets every rule for {@code name}: it is unknown again. */
    public FakeUpstream forget(String name) {
        rules.remove(name(name));
        return this;
    }

    /** Forgets every rule and every recorded query, and answers unknown names with NXDOMAIN again. */
    public FakeUpstream reset() {
        rules.clear();
        received.clear();
        wildcardTtl = -1;
        return this;
    }

    // ---- what was received ------------------------------------------------------------------------------

    /** Every query received so far, in arrival order (also unanswered ones); a snapshot. */
    public List<ReceivedQuery> received() {
        return List.copyOf(received);
    }

    /** The queries received for {@code name} and {@code type}, in arrival order. */
    public List<ReceivedQuery> received(String name, int type) {
        return received.stream().filter(q -> q.asks(name, type)).toList();
    }

    /** How many queries for {@code name} and {@code type} arrived, over UDP and TCP together. */
    public int queryCount(String name, int type) {
        return received(name, type).size();
    }

    /** How many queries arrived in all. */
    public int queryCount() {
        return received.size();
    }

    /** How many TCP connections clients have opened to this fake so far. */
    public int tcpConnections() {
        return tcpConnections.get();
    }

    /**
     * Closes every open TCP connection from the server side, as a server does at its idle timeout; waits
     * until they are closed here (the clients see it a moment later).
     */
    public FakeUpstream closeTcpConnections() {
        tcpChildren.close().awaitUninterruptibly();
        return this;
    }

    /** Forgets the recorded queries (rules stay). */
    public FakeUpstream clearReceived() {
        received.clear();
        return this;
    }

    /** Stops listening and frees the event loop thread. Idempotent. */
    @Override
    public void close() {
        for (Channel ch : new Channel[] {udp, tcp, spoofSocket}) {
            if (ch != null) {
                ch.close().awaitUninterruptibly();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    // ---- internals --------------------------------------------------------------------------------------

    /** Parses a name, making it absolute. Package-visible for {@link ReceivedQuery}. */
    static Name name(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: '" + name + "'", e);
        }
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByAddress(InetAddress.ofLiteral(literal).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
    }

    private FakeUpstream records(Name owner, int type, List<Record> list) {
        rules.compute(owner, (k, old) -> (old == null ? NameRule.EMPTY : old).withRecords(type, list));
        return this;
    }

    private FakeUpstream update(String name, java.util.function.UnaryOperator<NameRule> change) {
        rules.compute(name(name), (k, old) -> change.apply(old == null ? NameRule.EMPTY : old));
        return this;
    }

    private NameRule rule(Name name) {
        NameRule rule = rules.get(name);
        if (rule != null) {
            return rule;
        }
        long ttl = wildcardTtl;
        if (ttl < 0) {
            return NameRule.EMPTY.withRcode(Rcode.NXDOMAIN, NameRule.DEFAULT_NEGATIVE_TTL);
        }
        String text = name.toString();
        return NameRule.EMPTY
                .withRecords(Type.A, List.of(new ARecord(name, DClass.IN, ttl, address(wildcardAddress(text)))))
                .withRecords(Type.AAAA,
                        List.of(new AAAARecord(name, DClass.IN, ttl, address(wildcardAddress6(text)))));
    }

    private List<FakeResponder.Outgoing> handle(byte[] wire, Transport transport, InetSocketAddress sender) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return List.of(); // garbage: a real server drops what it cannot parse
        }
        Record question = query.getQuestion();
        OPTRecord opt = query.getOPT();
        received.add(new ReceivedQuery(transport, query.getHeader().getID(),
                question == null ? Name.root : question.getName(), question == null ? -1 : question.getType(),
                sender.getPort(), opt == null ? -1 : opt.getPayloadSize(),
                opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0,
                query.getHeader().getFlag(Flags.RD), query.getHeader().getFlag(Flags.CD), query));
        return responder.plan(query, transport);
    }

    private final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            InetSocketAddress sender = packet.sender();
            for (FakeResponder.Outgoing out : handle(ByteBufUtil.getBytes(packet.content()), Transport.UDP,
                    sender)) {
                Channel from = out.fromOtherPort() ? spoofSocket : ctx.channel();
                later(ctx, out.delayMillis(), () -> from.writeAndFlush(
                        new DatagramPacket(Unpooled.wrappedBuffer(out.wire()), sender)));
            }
        }
    }

    private final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            InetSocketAddress sender = (InetSocketAddress) ctx.channel().remoteAddress();
            for (FakeResponder.Outgoing out : handle(ByteBufUtil.getBytes(frame), Transport.TCP, sender)) {
                later(ctx, out.delayMillis(), () -> ctx.writeAndFlush(Unpooled.wrappedBuffer(out.wire())));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client reset the connection: nothing to report
        }
    }

    private static void later(ChannelHandlerContext ctx, long delayMillis, Runnable send) {
        if (delayMillis <= 0) {
            send.run();
        } else {
            ctx.executor().schedule(send, delayMillis, TimeUnit.MILLISECONDS);
        }
    }
}
