package io.splitroute.config;

import java.time.Duration;

/**
 * TCP listener limits ({@code tcp:}).
 *
 * @param idleTimeout    an idle client connection is closed after this long (more than 0)
 * @param maxConnections most client connections open at once, 1 to {@link #MAX_CONNECTIONS}; more are closed
 */
public record TcpConfig(Duration idleTimeout, int maxConnections) {
    /** The defaults: 10 s idle timeout, 256 connections. */
    public static final TcpConfig DEFAULT = new TcpConfig(Duration.ofSeconds(10), 256);
    /** The most connections that may be allowed. */
    public static final int MAX_CONNECTIONS = 100_000;

    /** Checks the values. */
    public TcpConfig {
        if (idleTimeout.isZero() || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idle-timeout must be more than 0");
        }
        if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("max-connections " + maxConnections + " is not between 1 and "
                    + MAX_CONNECTIONS);
        }
    }
}
