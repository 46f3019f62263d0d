package io.splitroute.upstream;

import io.splitroute.net.NetTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings shared by the upstreams of a resolver.
 *
 * @param attemptTimeout how long one server gets to answer one query (connect included for TCP) before the
 *                       next server of the group is tried; default {@link #DEFAULT_ATTEMPT_TIMEOUT}
 * @param transport      the Netty event loops and channel classes to use (shared with the listeners)
 * @param resolvConf     where {@code system} upstreams read their nameservers; default
 *                       {@link SystemResolvers#DEFAULT_RESOLV_CONF}
 */
public record UpstreamOptions(Duration attemptTimeout, NetTransport transport, Path resolvConf) {

    /** 1.5 s: long enough for a distant server, short enough that failover beats a client's own retry. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofMillis(1500);

    /** Checks the values; the timeout must be positive. */
    public UpstreamOptions {
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(resolvConf, "resolvConf");
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attemptTimeout must be positive, was " + attemptTimeout);
        }
    }

    /** Default timeout and resolv.conf on the given transport. */
    public static UpstreamOptions defaults(NetTransport transport) {
        return new UpstreamOptions(DEFAULT_ATTEMPT_TIMEOUT, transport, SystemResolvers.DEFAULT_RESOLV_CONF);
    }

    /** A copy with another attempt timeout. */
    public UpstreamOptions withAttemptTimeout(Duration timeout) {
        return new UpstreamOptions(timeout, transport, resolvConf);
    }

    /** A copy that reads {@code system} nameservers from another file. */
    public UpstreamOptions withResolvConf(Path path) {
        return new UpstreamOptions(attemptTimeout, transport, path);
    }
}
