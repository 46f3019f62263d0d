package io.splitroute.upstream.lab;

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
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import io.splitroute.net.NetTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;

/**
 * A DNS server for the upstream tests, answering a {@link Zone} over plain UDP and TCP (port 53), DNS over TLS (853)
 * and DNS over HTTPS (443: HTTP/2, or HTTP/1.1 when ALPN picks it or {@code http1Only}), with a certificate
 * from {@link TestPki} that a test may swap. Runs on the given transport's event loops, so a transport whose
 * threads live in a network namespace serves there. Behaviour knobs and what it saw: {@link #knobs()}.
 */
public final class DnsTestServer implements AutoCloseable {

    public static final int UDP_PORT = 53;
    public static final int DOT_PORT = 853;
    public static final int DOH_PORT = 443;

    private final NetTransport transport;
    private final InetAddress address;
    private final Zone zone;
    private final ServerKnobs knobs = new ServerKnobs();
    private final List<Channel> channels = new ArrayList<>();
    private final boolean http1Only;
    private final boolean tls12Only;
    private volatile SslContext dotContext;
    private volatile SslContext dohContext;

    /**
     * Starts serving on {@code address}.
     *
     * @param http1Only offer only HTTP/1.1 through ALPN
     * @param tls12Only speak TLS 1.2 only (session IDs show resumption)
     */
    public DnsTestServer(NetTransport transport, InetAddress address, Zone zone, X509Bundle certificate,
                         boolean http1Only, boolean tls12Only) {
        this.transport = transport;
        this.address = address;
        this.zone = zone;
        this.http1Only = http1Only;
        this.tls12Only = tls12Only;
        useCertificate(certificate);
        channels.add(bindOnLoop(() -> new Bootstrap().group(transport.group()).channel(transport.datagram())
                .handler(new Udp()).bind(new InetSocketAddress(address, UDP_PORT))));
        channels.add(bindOnLoop(() -> server(UDP_PORT, true, false)));
        channels.add(bindOnLoop(() -> server(DOT_PORT, true, true)));
        channels.add(bindOnLoop(() -> server(DOH_PORT, false, true)));
    }

    /** Serves {@code certificate} from the next handshake on. */
    public void useCertificate(X509Bundle certificate) {
        try {
            dotContext = context(certificate, null);
            dohContext = context(certificate, http1Only ? List.of(ApplicationProtocolNames.HTTP_1_1)
                    : List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private SslContext context(X509Bundle certificate, List<String> alpn) throws IOException {
        SslContextBuilder builder = SslContextBuilder.forServer(certificate.getKeyPair().getPrivate(),
                certificate.getCertificatePath()).sslProvider(SslProvider.JDK)
                .protocols(tls12Only ? new String[] {"TLSv1.2"} : new String[] {"TLSv1.3", "TLSv1.2"});
        if (alpn != null) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        return builder.build();
    }

    public ServerKnobs knobs() {
        return knobs;
    }

    public Zone zone() {
        return zone;
    }

    public InetAddress address() {
        return address;
    }

    private ChannelFuture server(int port, boolean dot, boolean tls) {
        return new ServerBootstrap().group(transport.group()).channel(transport.serverSocket())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!tls) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(0xFFFF, 0, 2, 0, 2),
                                    new LengthFieldPrepender(2), new Dot(false));
                            return;
                        }
                        knobs.connections.incrementAndGet();
                        SslContext context = dot ? dotContext : dohContext;
                        ch.pipeline().addLast(context.newHandler(ch.alloc()), new SessionRecorder());
                        if (dot) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(0xFFFF, 0, 2, 0, 2),
                                    new LengthFieldPrepender(2), new Dot(knobs.connections.get() == 1));
                        } else {
                            ch.pipeline().addLast(new DohServerSwitch(zone, knobs));
                        }
                    }
                }).bind(new InetSocketAddress(address, port));
    }

    /** Binds from an event loop: the socket is made in that thread's network namespace. */
    private Channel bindOnLoop(Callable<ChannelFuture> bind) {
        try {
            return transport.group().next().submit(bind).get().sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test DNS server on " + address, e);
        }
    }

    @Override
    public void close() {
        channels.forEach(Channel::close);
    }

    /** Records each completed handshake's session ID. */
    private final class SessionRecorder extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                knobs.sessionIds.add(HexFormat.of().formatHex(
                        ctx.pipeline().get(SslHandler.class).engine().getSession().getId()));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client refusing our certificate, in the tests that want it to
        }
    }

    private final class Udp extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) throws IOException {
            if (knobs.silent) {
                return;
            }
            Message reply = zone.answer(new Message(ByteBufUtil.getBytes(packet.content())));
            ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply.toWire(512)), packet.sender()));
        }
    }

    /** DNS over TLS: answers each frame, optionally in reverse order per read, or closes at a set query. */
    private final class Dot extends SimpleChannelInboundHandler<ByteBuf> {
        private final boolean first;
        private final AtomicInteger seen = new AtomicInteger();
        private final List<byte[]> batch = new ArrayList<>();

        Dot(boolean first) {
            this.first = first;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws IOException {
            int n = seen.incrementAndGet();
            if (first && knobs.closeFirstConnectionAt > 0 && n >= knobs.closeFirstConnectionAt) {
                ctx.close();
                return;
            }
            if (!knobs.silent) {
                batch.add(zone.answer(new Message(ByteBufUtil.getBytes(frame))).toWire());
            }
            if (!knobs.reverse) {
                channelReadComplete(ctx);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            List<byte[]> replies = new ArrayList<>(batch);
            batch.clear();
            if (knobs.reverse) {
                java.util.Collections.reverse(replies);
            }
            replies.forEach(r -> ctx.write(Unpooled.wrappedBuffer(r)));
            ctx.flush();
        }
    }
}
