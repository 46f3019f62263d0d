package io.splitroute.doctor;

import java.net.InetAddress;
import java.util.Map;

/**
 * What the kernel says about one set, as far as {@code doctor} needs it (the ipset-sink's {@code
 * SetInspection} will give the same once it is there).
 *
 * @param exists         whether the set exists
 * @param problem        why splitroute cannot write it as configured (with what to do), or {@code null}
 * @param timeoutSupport whether its elements can carry a timeout; {@code null} when unknown
 * @param members        for each address asked about: whether the set holds it
 */
record SetFacts(boolean exists, String problem, Boolean timeoutSupport, Map<InetAddress, Boolean> members) {
    /** Copies the members. */
    SetFacts {
        members = Map.copyOf(members);
    }

    /** Returns whether the set was found to hold {@code address}. */
    boolean holds(InetAddress address) {
        return Boolean.TRUE.equals(members.get(address));
    }
}
