package io.splitroute.sink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs that a set is full at most once a minute per set, for the whole process (every event loop has
 * writers of its own, and a full set fails on all of them), with the number of elements refused since the
 * previous line.
 */
final class FullSetLog {
    private static final Logger LOG = LoggerFactory.getLogger(FullSetLog.class);
    private static final long INTERVAL_NANOS = 60_000_000_000L;
    private static final Map<SetTarget, State> STATES = new ConcurrentHashMap<>();

    private FullSetLog() {}

    /** Refused elements of one set, and when it was last logged. */
    private static final class State {
        long refused;
        boolean logged;
        long loggedAt;
    }

    /** Notes that {@code count} elements were refused by the full {@code target}; logs when a minute has passed. */
    static void refused(SetTarget target, int count, SetError example) {
        State state = STATES.computeIfAbsent(target, t -> new State());
        long refused;
        synchronized (state) {
            state.refused += count;
            long now = System.nanoTime();
            if (state.logged && now - state.loggedAt < INTERVAL_NANOS) {
                return;
            }
            refused = state.refused;
            state.refused = 0;
            state.logged = true;
            state.loggedAt = now;
        }
        LOG.warn("{} is full: {} element(s) not added{} ({}); logged at most once a minute", target.displayName(),
                refused, refused == count ? "" : " in the last minute", example.message());
    }
}
