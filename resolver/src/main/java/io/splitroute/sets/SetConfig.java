package io.splitroute.sets;

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
    /** The set types splitroute writes: one address, or a network, per element. */
    public static final java.util.Set<String> SET_TYPES = java.util.Set.of("hash:ip", "hash:net");
    /** The default {@code set-type}. */
    public static final String DEFAULT_SET_TYPE = "hash:ip";
    /** The default {@code hashsize} of a set created at start, and its bounds. */
    public static final int DEFAULT_HASHSIZE = 1024, MIN_HASHSIZE = 64, MAX_HASHSIZE = 1 << 26;
    /** The default {@code maxelem} of a set created at start, and its bounds. */
    public static final int DEFAULT_MAXELEM = 65536, MIN_MAXELEM = 1, MAX_MAXELEM = 1 << 28;
    /** The nftables table families a set may live in. */
    public static final java.util.Set<String> TABLE_FAMILIES = java.util.Set.of("ip", "ip6", "inet");

    /** What a failed write does to the reply. */
    public enum OnError {
        /** Answer anyway, and count the failure (the default). */
        ANSWER,
        /** Answer SERVFAIL, so the client does not connect the wrong way. */
        SERVFAIL
    }
}
