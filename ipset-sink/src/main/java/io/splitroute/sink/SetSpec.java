package io.splitroute.sink;

import java.time.Duration;
import java.util.Objects;

/**
 * How to create a missing set ({@code create: true}).
 *
 * @param target the set to create (its family is the set's family)
 * @param type {@code hash:ip} or {@code hash:net} (nft sets ignore it; {@code hash:net} gives {@code flags interval})
 * @param defaultTimeout the set's default timeout; also enables per-element timeouts. {@link Duration#ZERO}
 *     still enables timeouts (elements default to none), matching {@code ipset create ... timeout 0}
 * @param hashSize initial hash size (0 for the kernel default)
 * @param maxElem maximum number of elements (0 for the kernel default)
 */
public record SetSpec(SetTarget target, String type, Duration defaultTimeout, int hashSize, int maxElem) {
    /**
     * The capacity the writers' hints recommend when they say how to create a set (ipset {@code maxelem},
     * nft {@code size}): four times ipset's default of 65536, a few MiB of kernel memory at most, so that
     * the addresses a busy network resolves within the longest timeout fit.
     */
    public static final int RECOMMENDED_CAPACITY = 262_144;

    /** Checks the type and the sizes. */
    public SetSpec {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        if (!"hash:ip".equals(type) && !"hash:net".equals(type)) {
            throw new IllegalArgumentException("set type must be hash:ip or hash:net: '" + type + "'");
        }
        if (defaultTimeout.isNegative() || hashSize < 0 || maxElem < 0) {
            throw new IllegalArgumentException("timeout, hashsize and maxelem must not be negative: "
                    + defaultTimeout + ", " + hashSize + ", " + maxElem);
        }
    }
}
