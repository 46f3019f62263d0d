package io.splitroute.upstream;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

/** Chooses the event loop for an upstream query. */
final class EventLoops {

    private EventLoops() {}

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
