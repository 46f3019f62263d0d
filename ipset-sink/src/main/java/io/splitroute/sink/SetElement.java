package io.splitroute.sink;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

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

    /** Whether every one of {@code elements} is of {@code family} (the usual case: nothing to filter). */
    public static boolean allOf(List<SetElement> elements, AddressFamily family) {
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i).family() != family) {
                return false;
            }
        }
        return true;
    }

    /** Returns the elements of {@code family}, in order, and hands the address of every other one to {@code misfit}. */
    public static List<SetElement> ofFamily(List<SetElement> elements, AddressFamily family, Consumer<InetAddress> misfit) {
        List<SetElement> fitting = new ArrayList<>(elements.size());
        for (SetElement element : elements) {
            if (element.family() == family) {
                fitting.add(element);
            } else {
                misfit.accept(element.address());
            }
        }
        return fitting;
    }

    /** Returns the timeout in whole seconds, rounded up (0 for the set default). */
    public long timeoutSeconds() {
        long seconds = timeout.getSeconds();
        return timeout.getNano() > 0 ? seconds + 1 : seconds;
    }
}
