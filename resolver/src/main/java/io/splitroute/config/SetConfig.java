package io.splitroute.config;

import io.splitroute.sink.SetSpec;
import io.splitroute.sink.SetTarget;

/**
 * One kernel set answers are written to.
 *
 * @param name    the set's name in the config (what routes refer to)
 * @param target  the kernel set
 * @param create  whether a missing set is created at start (with {@code spec}) instead of stopping start-up
 * @param spec    how to create it
 * @param onError what a failed write does to the reply
 * @param line    the line of the set in the config file
 */
public record SetConfig(String name, SetTarget target, boolean create, SetSpec spec, OnError onError, int line) {

    /** What a failed write does to the reply. */
    public enum OnError {
        /** Answer anyway, and count the failure (the default). */
        ANSWER,
        /** Answer SERVFAIL, so the client does not connect the wrong way. */
        SERVFAIL
    }
}
