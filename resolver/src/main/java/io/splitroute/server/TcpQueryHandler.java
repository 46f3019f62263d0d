package io.splitroute.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.splitroute.query.Transport;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Serves one TCP connection: reads length-framed queries, several in flight at once (pipelining), and writes
 * each reply as soon as it is ready. Bounded in time and memory whatever the client does:
 * <ul>
 *   <li>a query whose first byte arrived must be whole within the frame deadline, or the connection is closed
 *       (a client trickling bytes cannot hold its slot);</li>
 *   <li>at most {@code maxInflight} queries are being resolved or waiting to be written; at the bound, or while
 *       the client does not take its replies (the channel is not writable), the connection is not read, and
 *       frames already read wait in the buffer until a reply has gone out.</li>
 * </ul>
 * Runs on the connection's event loop; replies may come from any thread.
 */
final class TcpQueryHandler extends ChannelInboundHandlerAdapter implements ChannelFutureListener {
    private final QueryDispatcher dispatcher;
    private final long frameTimeoutNanos;
    private final int maxInflight;
    private final TcpStats stats;
    private final Consumer<byte[]> replyTo = this::reply;
    private ChannelHandlerContext ctx;
    private InetSocketAddress client;
    /** Bytes read but not yet dispatched: the start of an incomplete frame, or frames held back; or null. */
    private ByteBuf buffered;
    private ScheduledFuture<?> frameDeadline;
    private int inflight;
    private boolean reading = true;
    private boolean dispatching;

    TcpQueryHandler(QueryDispatcher dispatcher, long frameTimeoutNanos, int maxInflight, TcpStats stats) {
        this.dispatcher = dispatcher;
        this.frameTimeoutNanos = frameTimeoutNanos;
        this.maxInflight = maxInflight;
        this.stats = stats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.client = (InetSocketAddress) context.channel().remoteAddress();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        // Appended in place, the buffer grown by doubling: a frame trickled in small reads is not copied per read.
        buffered = buffered == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(context.alloc(), buffered, in);
        dispatchFrames();
    }

    /** Dispatches every whole frame in the buffer while under the bound, then decides whether to read on. */
    private void dispatchFrames() {
        if (dispatching) {
            return; // a reply written within a dispatch freed a slot: the loop below takes it
        }
        dispatching = true;
        try {
            boolean completed = false;
            while (buffered != null && inflight < maxInflight && ctx.channel().isActive()) {
                int readable = buffered.readableBytes();
                if (readable < 2 || readable < 2 + buffered.getUnsignedShort(buffered.readerIndex())) {
                    break;
                }
                byte[] wire = new byte[buffered.readUnsignedShort()];
                buffered.readBytes(wire);
                completed = true;
                if (!buffered.isReadable()) {
                    buffered.release();
                    buffered = null;
                }
                inflight++;
                if (!dispatcher.dispatch(wire, client, Transport.TCP, replyTo)) {
                    inflight--;
                    ctx.close(); // not DNS: this client is done
                    return;
                }
            }
            if (buffered != null) {
                buffered.discardSomeReadBytes();
            }
            updateReading();
            watchFrame(completed);
        } finally {
            dispatching = false;
        }
    }

    /** Runs the frame deadline while an incomplete frame is being read; a completed frame restarts it. */
    private void watchFrame(boolean completed) {
        boolean partial = buffered != null && reading;
        if (frameDeadline != null && (completed || !partial)) {
            frameDeadline.cancel(false);
            frameDeadline = null;
        }
        if (partial && frameDeadline == null) {
            frameDeadline = ctx.executor().schedule(this::frameTimedOut, frameTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void frameTimedOut() {
        frameDeadline = null;
        if (ctx.channel().isActive()) {
            stats.frameTimeouts.increment();
            LoggerFactory.getLogger(TcpQueryHandler.class).debug("TCP client {}: query not whole within the frame "
                    + "deadline; closed", client);
            ctx.close();
        }
    }

    private void updateReading() {
        boolean read = inflight < maxInflight && ctx.channel().isWritable();
        if (read != reading) {
            reading = read;
            if (!read) {
                stats.paused.increment();
            }
            ctx.channel().config().setAutoRead(read);
        }
    }

    /**
     * Sends one reply (from any thread); the query stays in flight until it is written. The reply is wrapped, not
     * copied: the transport moves it to direct memory when it takes it, and a failure there fails the write, which
     * {@link #operationComplete} counts like any other.
     */
    private void reply(byte[] bytes) {
        byte[] length = {(byte) (bytes.length >> 8), (byte) bytes.length};
        ctx.writeAndFlush(Unpooled.wrappedBuffer(length, bytes)).addListener(this);
    }

    /** A reply was written (or failed to be: the connection closed). Called on the event loop. */
    @Override
    public void operationComplete(ChannelFuture future) {
        inflight--;
        if (ctx.channel().isActive()) {
            dispatchFrames();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        dispatchFrames();
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (frameDeadline != null) {
            frameDeadline.cancel(false);
            frameDeadline = null;
        }
        if (buffered != null) {
            buffered.release();
            buffered = null;
        }
        context.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent) {
            context.close();
        } else {
            context.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        // A reset connection: this client is done, the others go on.
        LoggerFactory.getLogger(TcpQueryHandler.class).debug("TCP client {} error: {}", client, cause.toString());
        context.close();
    }
}
