package io.splitroute.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.splitroute.query.Transport;
import java.net.InetSocketAddress;

/**
 * Reads length-framed queries from one TCP connection; several may be in flight at once (pipelining) and
 * each reply is written as soon as it is ready. Closes the connection when it has been idle too long.
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final QueryDispatcher dispatcher;

    TcpQueryHandler(QueryDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        byte[] wire = ByteBufUtil.getBytes(frame);
        InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
        boolean answered = dispatcher.dispatch(wire, client, Transport.TCP, reply -> {
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
            }
        });
        if (!answered) {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A frame over the size limit or a reset connection: this client is done, the others go on.
        org.slf4j.LoggerFactory.getLogger(TcpQueryHandler.class).debug("TCP client {} error: {}",
                ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
