package io.splitroute.sets;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Arms the deadline of a reply whose set writes run on another thread. Injectable, so tests fire deadlines
 * by hand instead of sleeping past them.
 */
@FunctionalInterface
public interface Deadlines {
    /** The JDK's delay scheduler (through {@link CompletableFuture#completeOnTimeout}). */
    Deadlines JDK = (expire, nanos) -> {
        CompletableFuture<Void> timer = new CompletableFuture<>();
        timer.completeOnTimeout(null, nanos, TimeUnit.NANOSECONDS).thenRun(expire);
        return () -> timer.complete(null);
    };

    /**
     * Runs {@code expire} once {@code nanos} have passed.
     *
     * @return what cancels the deadline; it may run {@code expire} at once, which must then do nothing
     */
    Runnable arm(Runnable expire, long nanos);
}
