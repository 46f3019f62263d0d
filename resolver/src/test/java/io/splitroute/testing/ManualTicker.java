package io.splitroute.testing;

import io.splitroute.query.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when the test advances it: cache lifetimes and ages without sleeping. */
public final class ManualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanos() {
        return nanos.get();
    }

    /** Moves the clock forward by {@code by}. */
    public void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
