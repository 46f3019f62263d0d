package io.splitroute.query;

/**
 * A source of nanosecond time readings, {@link System#nanoTime()} in production; tests pass one they advance
 * by hand, so that nothing timed (cache lifetimes, a cached reply's age, set timeouts) needs a test to sleep.
 */
@FunctionalInterface
public interface Ticker {
    /** The system's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    /** Returns the current reading, in nanoseconds from an arbitrary origin. */
    long nanos();
}
