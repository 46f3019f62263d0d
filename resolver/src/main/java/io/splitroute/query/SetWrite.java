package io.splitroute.query;

import java.net.InetAddress;
import java.util.List;

/**
 * What the set stage wrote for one reply: to which kernel sets, which addresses, and how it went. Metrics and
 * the query log read this instead of deriving the addresses from the answer again.
 */
public interface SetWrite {

    /** How the writes of one reply ended. */
    enum Outcome {
        /** Every set acknowledged its write before the reply left. */
        WRITTEN,
        /** A write failed (the reply went out, or became SERVFAIL where the set says so). */
        FAILED,
        /** A write was not acknowledged by the deadline: the reply went out anyway. */
        LATE
    }

    /** Returns the config names of the sets written to, in the route's order. */
    List<String> sets();

    /** Returns the addresses handed to those sets, each once, in answer order. */
    List<InetAddress> addresses();

    /** Returns how the writes ended. */
    Outcome outcome();
}
