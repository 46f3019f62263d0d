package io.splitroute.sink;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One address to put into a set, with its timeout.
 *
 * @param address the address (IPv4 or IPv6)
 * @param timeout how long the kernel keeps it; {@link Duration#ZERO} means the set's default timeout
 *     (or no timeout for a set without one). Whole seconds for ipset (rounded up), milliseconds for nft.
 */
public record SetElement(InetAddress address, Duration timeout) {
    /** Checks both are present and the timeout is not negative. */
    public SetElement {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout + " for " + address.getHostAddress());
        }
    }

    /** Returns the element's family. */
    public AddressFamily family() {
        return AddressFamily.of(address);
    }

    /** Returns the timeout in whole seconds, rounded up (0 for the set default). */
    public long timeoutSeconds() {
        long seconds = timeout.getSeconds();
        return timeout.getNano() > 0 ? seconds + 1 : seconds;
    }
}
