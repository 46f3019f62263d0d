package io.splitroute.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;

/**
 * The wait for the reply to one {@link UpstreamQuery} on one channel: offers each received message to the
 * query's test, drops (and counts) what fails it, and ends at the first accepted reply, at the timeout, or at
 * a failure, whichever comes first. Ending closes the channel and cancels the timer. All calls happen on
 * the channel's event loop; the future may be observed from anywhere.
 */
final class PendingReply {

    private final UpstreamQuery query;
    private final String upstream;
    private final UpstreamStats stats;
    private final CompletableFuture<Message> future = new CompletableFuture<>();
    private ScheduledFuture<?> timer;
    private Channel channel;

    PendingReply(UpstreamQuery query, String upstream, UpstreamStats stats) {
        this.query = query;
        this.upstream = upstream;
        this.stats = stats;
    }

    /**
     * Runs {@code start} on {@code loop}: at once if this thread is that loop, else as a task. If the loop is
     * shut down, fails with {@link UpstreamException.Reason#UNREACHABLE} instead of throwing.
     */
    void runOn(EventLoop loop, Runnable start) {
        if (loop.inEventLoop()) {
            start.run();
            return;
        }
        try {
            loop.execute(start);
        } catch (RejectedExecutionException e) {
            fail(new UpstreamException(UpstreamException.Reason.UNREACHABLE, upstream, "event loop is shut down", e));
        }
    }

    /** Starts the clock: fails with {@link UpstreamException.Reason#TIMEOUT} after {@code timeout}. */
    void startTimer(EventLoop loop, Duration timeout) {
        timer = loop.schedule(() -> fail(new UpstreamException(UpstreamException.Reason.TIMEOUT, upstream,
                "no valid reply within " + timeout.toMillis() + " ms")), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The channel to close when the wait ends (closed at once if it already has). */
    void attach(Channel ch) {
        channel = ch;
        if (future.isDone()) {
            ch.close();
        }
    }

    UpstreamQuery query() {
        return query;
    }

    String upstream() {
        return upstream;
    }

    CompletableFuture<Message> future() {
        return future;
    }

    /** Offers a received message: completes with it if it answers the query, else drops and counts it. */
    void offer(ByteBuf wire) {
        if (future.isDone()) {
            return;
        }
        Message reply;
        try {
            reply = new Message(ByteBufUtil.getBytes(wire));
        } catch (IOException | RuntimeException e) {
            stats.countDroppedReply(); // garbage is treated like a forged reply: counted, and we keep waiting
            return;
        }
        if (query.accepts(reply)) {
            future.complete(reply);
            end();
        } else {
            stats.countDroppedReply();
        }
    }

    /** Drops a message from the wrong source without looking at it. */
    void dropForeign() {
        stats.countDroppedReply();
    }

    /**
     * Ends the wait with {@code failure}; if it has already ended (also by a caller's cancel), only makes
     * sure the channel is closed.
     */
    void fail(UpstreamException failure) {
        future.completeExceptionally(failure);
        end(); // after completing: closing fires channelInactive, which must find the wait over
    }

    /** Idempotent: cancelling a done timer or closing a closed channel does nothing. */
    private void end() {
        if (timer != null) {
            timer.cancel(false);
        }
        if (channel != null) {
            channel.close();
        }
    }
}
