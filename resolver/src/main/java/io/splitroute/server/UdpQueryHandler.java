package io.splitroute.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.splitroute.query.Transport;

/** Reads one query per datagram and sends the reply back to the sender. Stateless. */
@Sharable
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final QueryDispatcher dispatcher;

    UdpQueryHandler(QueryDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        byte[] wire = ByteBufUtil.getBytes(packet.content());
        dispatcher.dispatch(wire, packet.sender(), Transport.UDP,
                reply -> {
                    // Straight into a pooled direct buffer (a heap buffer would be copied into one to be sent);
                    // the void promise: nobody waits for a UDP send, a failure reaches exceptionCaught.
                    ByteBuf out = ctx.alloc().directBuffer(reply.length).writeBytes(reply);
                    ctx.writeAndFlush(new DatagramPacket(out, packet.sender()), ctx.voidPromise());
                });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket error (e.g. ICMP port unreachable surfaced as an exception) concerns one peer only.
        org.slf4j.LoggerFactory.getLogger(UdpQueryHandler.class).debug("UDP error: {}", cause.toString());
    }
}
