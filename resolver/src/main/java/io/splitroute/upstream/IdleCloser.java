package io.splitroute.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Closes a connection after {@link TcpSession#IDLE} without queries; all calls on the connection's loop. */
final class IdleCloser {

    private final EventLoop loop;
    private final Runnable close;
    private ScheduledFuture<?> timer;

    IdleCloser(EventLoop loop, Runnable close) {
        this.loop = loop;
        this.close = close;
    }

    /** A query started: no idle close. */
    void busy() {
        cancel();
    }

    /** The last query ended: close after the idle time unless another starts. */
    void idle() {
        cancel();
        timer = loop.schedule(close, TcpSession.IDLE.toMillis(), TimeUnit.MILLISECONDS);
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
