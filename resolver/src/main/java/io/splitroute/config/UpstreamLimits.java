package io.splitroute.config;

/**
 * Bounds on the queries splitroute has sent upstream ({@code upstream-max-pending:}).
 *
 * @param maxPending the most upstream queries pending at once, over all groups, 1 to {@link #MAX_PENDING};
 *                   beyond it a query that needs an upstream gets SERVFAIL at once (each pending UDP query
 *                   holds a socket and a source port)
 */
public record UpstreamLimits(int maxPending) {
    /** The default: 2000 pending queries. */
    public static final UpstreamLimits DEFAULT = new UpstreamLimits(2000);
    /** The highest bound: about the source ports one address has. */
    public static final int MAX_PENDING = 60_000;

    /** Checks the bound; the message carries the value. */
    public UpstreamLimits {
        if (maxPending < 1 || maxPending > MAX_PENDING) {
            throw new IllegalArgumentException("upstream-max-pending " + maxPending + " is not between 1 and "
                    + MAX_PENDING);
        }
    }
}
