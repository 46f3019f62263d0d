package io.splitroute.sink.ipset;

import io.splitroute.sink.AddressFamily;

/**
 * What a probe learnt about an existing ipset.
 *
 * @param typeName e.g. {@code hash:ip}
 * @param family the set's family
 * @param timeoutSupport whether the set was created with a timeout (per-element timeouts allowed)
 * @param defaultTimeout the set's default timeout in seconds (0 if none)
 * @param maxElem the set's capacity
 * @param elements elements at probe time (-1 if the kernel did not say)
 */
record IpsetInfo(String typeName, AddressFamily family, boolean timeoutSupport, long defaultTimeout, long maxElem,
        long elements) {
    /** Returns whether elements carry a CIDR (hash:net types). */
    boolean netType() {
        return typeName.startsWith("hash:net");
    }
}
