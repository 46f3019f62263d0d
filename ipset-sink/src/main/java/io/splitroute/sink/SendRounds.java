package io.splitroute.sink;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunks a kernel writer sends in rounds: those of this round, and those a failed element or batch
 * leaves to be sent again in the next. Both lists are kept and reused from write to write, so the write
 * path allocates nothing for them. Not thread-safe: owned by one writer and used under its lock.
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
         */
        void send(List<T> chunks, List<T> again, int round);
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

    /** Runs rounds until nothing is left to send; both lists are empty afterwards, even if a round throws. */
    public void run(Round<T> round) {
        try {
            for (int n = 1; !current.isEmpty(); n++) {
                round.send(current, again, n);
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
