package io.splitroute.config;

import java.time.Duration;

/**
 * TCP listener limits ({@code tcp:}).
 *
 * @param idleTimeout    a client connection with nothing read or written for this long is closed (more than 0)
 * @param maxConnections most client connections open at once, 1 to {@link #MAX_CONNECTIONS}; more are closed
 * @param maxPerClient   most connections open at once from one client address, 1 to {@code maxConnections}
 * @param frameTimeout   longest time one query may take to arrive once its first byte has (more than 0): a
 *                       client trickling bytes is closed at this deadline whatever the idle timeout says
 * @param maxInflight    most queries of one connection being resolved or waiting to be sent at once, 1 to
 *                       {@link #MAX_INFLIGHT}; the connection is not read while it has this many
 */
public record TcpConfig(Duration idleTimeout, int maxConnections, int maxPerClient, Duration frameTimeout,
                        int maxInflight) {
    /** The defaults: 10 s idle, 256 connections, 16 per client, 5 s per query, 32 queries in flight. */
    public static final TcpConfig DEFAULT = new TcpConfig(Duration.ofSeconds(10), 256, 16, Duration.ofSeconds(5), 32);
    /** The most connections that may be allowed. */
    public static final int MAX_CONNECTIONS = 100_000;
    /** The most queries in flight that may be allowed on one connection. */
    public static final int MAX_INFLIGHT = 1024;

    /** Checks the values. */
    public TcpConfig {
        if (idleTimeout.isZero() || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idle-timeout must be more than 0");
        }
        if (frameTimeout.isZero() || frameTimeout.isNegative()) {
            throw new IllegalArgumentException("frame-timeout must be more than 0");
        }
        if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("max-connections " + maxConnections + " is not between 1 and "
                    + MAX_CONNECTIONS);
        }
        if (maxPerClient < 1 || maxPerClient > maxConnections) {
            throw new IllegalArgumentException("max-per-client " + maxPerClient + " is not between 1 and "
                    + "max-connections (" + maxConnections + ")");
        }
        if (maxInflight < 1 || maxInflight > MAX_INFLIGHT) {
            throw new IllegalArgumentException("max-inflight " + maxInflight + " is not between 1 and " + MAX_INFLIGHT);
        }
    }
}
