package io.splitroute.sink;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunks a kernel writer sends in rounds: those of this round, and those a failed element or batch
 * leaves to be sent again in the next. A write has at most a fixed number of rounds, whatever fails, so a
 * full set costs one or two more round trips, not one per element. Both lists are kept and reused from
 * write to write, so the write path allocates nothing for them. Not thread-safe: owned by one writer and
 * used under its lock.
 *
 * @param <T> the writer's chunk type
 */
public final class SendRounds<T> {
    /** Sends one round. */
    @FunctionalInterface
    public interface Round<T> {
        /**
         * Sends {@code chunks} and adds to {@code again} what must be sent in the next round.
         *
         * @param round 1 for the first round of a write, then 2, 3, ...
         * @param last whether this is the write's last round: every outcome is final, nothing may be added
         *     to {@code again}
         */
        void send(List<T> chunks, List<T> again, int round, boolean last);
    }

    private List<T> current = new ArrayList<>();
    private List<T> again = new ArrayList<>();

    /** The chunks of the first round: fill it, then {@link #run}. */
    public List<T> chunks() {
        return current;
    }

    /** Empties both lists (a write cut short by an exception may have left chunks). */
    public void clear() {
        current.clear();
        again.clear();
    }

    /**
     * Runs rounds until nothing is left to send, at most {@code maxRounds}; both lists are empty afterwards,
     * even if a round throws.
     *
     * @throws IllegalStateException if the last round left chunks to send (a bug of the writer)
     */
    public void run(Round<T> round, int maxRounds) {
        try {
            for (int n = 1; !current.isEmpty(); n++) {
                if (n > maxRounds) {
                    throw new IllegalStateException("round " + maxRounds + " was the last but left " + current.size() + " chunks");
                }
                round.send(current, again, n, n == maxRounds);
                List<T> sent = current;
                sent.clear();
                current = again;
                again = sent;
            }
        } finally {
            clear();
        }
    }
}
