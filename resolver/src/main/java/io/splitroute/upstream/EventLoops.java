package io.splitroute.upstream;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

/** Chooses the event loop for an upstream query, and runs tasks on a given one. */
final class EventLoops {

    private EventLoops() {}

    /** Runs {@code task} on {@code loop} (now, if called there); dropped if the loop is shut down. */
    static void run(EventLoop loop, Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            // the transport is closing: its channels close with it
        }
    }

    /**
     * The loop of the calling thread if it belongs to {@code group} (a query forwarded from a listener's
     * handler then stays on that thread: no hand-off, no context switch), else the group's next loop.
     */
    static EventLoop pick(EventLoopGroup group) {
        for (EventExecutor executor : group) {
            if (executor.inEventLoop() && executor instanceof EventLoop loop) {
                return loop;
            }
        }
        return group.next();
    }
}
