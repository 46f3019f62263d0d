package io.splitroute.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Receives the length-delimited messages of one upstream TCP connection (frames already cut by
 * {@link io.netty.handler.codec.LengthFieldBasedFrameDecoder}) and hands them to the {@link PendingReply};
 * a connection that closes or breaks first fails the query.
 */
final class TcpReplyHandler extends SimpleChannelInboundHandler<ByteBuf> {

    private final PendingReply pending;

    TcpReplyHandler(PendingReply pending) {
        this.pending = pending;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        pending.offer(frame);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pending.fail(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, pending.upstream(),
                "TCP connection closed before a valid reply"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        pending.fail(new UpstreamException(UpstreamException.Reason.CONNECTION_CLOSED, pending.upstream(),
                "TCP connection failed: " + cause, cause));
    }
}
