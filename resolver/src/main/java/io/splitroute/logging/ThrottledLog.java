package io.splitroute.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a repeated warning once per cause per interval, with the count of repeats it held back, so a
 * failing set or upstream never floods the journal.
 */
public final class ThrottledLog {
    private final Logger log;
    private final long intervalNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * @param log             where to log
     * @param intervalSeconds at most one line per cause in this many seconds
     */
    public ThrottledLog(Logger log, long intervalSeconds) {
        this.log = log;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
    }

    /** Logs {@code message} as a warning unless {@code cause} was logged less than an interval ago. */
    public void warn(String cause, String message) {
        long now = System.nanoTime();
        Window w = windows.computeIfAbsent(cause, k -> new Window(now - intervalNanos));
        long last = w.lastLogged.get();
        if (now - last >= intervalNanos && w.lastLogged.compareAndSet(last, now)) {
            long held = w.held.getAndSet(0);
            log.warn(held == 0 ? message : message + " (and " + held + " more like it since the last report)");
        } else {
            w.held.incrementAndGet();
        }
    }

    private static final class Window {
        final AtomicLong lastLogged;
        final AtomicLong held = new AtomicLong();

        Window(long start) {
            this.lastLogged = new AtomicLong(start);
        }
    }
}
