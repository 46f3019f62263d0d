package io.splitroute.sink;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;

/**
 * What the kernel says about one set, for {@code doctor} and health checks ({@link SetWriter#inspect}).
 *
 * @param target the set asked about
 * @param exists whether the set exists in the writer's network namespace
 * @param family the family of addresses the set holds, or {@code null} if it does not exist or holds no
 *     plain addresses (an nft map or concatenation)
 * @param type the set's type as its tool names it: {@code hash:ip}, {@code hash:net} (ipset) or the key
 *     type {@code ipv4_addr}, {@code ipv6_addr} (nft); {@code null} if unknown
 * @param networks whether the set holds networks (ipset {@code hash:net}, nft {@code flags interval})
 * @param timeoutSupport whether elements can carry a timeout (ipset {@code timeout}, nft {@code flags timeout})
 * @param elements the number of elements, or -1 when the kernel does not say (nft)
 * @param capacity the set's capacity (ipset {@code maxelem}, nft {@code size}), or -1 when unknown or unlimited
 * @param problem why splitroute cannot write the set as configured, with what to do (how to create it,
 *     the family it has), or {@code null} when it can
 * @param members for each address asked about that could be checked: whether the set matches it (for sets
 *     of networks: whether a network in the set holds it); an expired element is no member
 */
public record SetInspection(SetTarget target, boolean exists, AddressFamily family, String type, boolean networks,
        boolean timeoutSupport, long elements, long capacity, String problem, Map<InetAddress, Boolean> members) {
    /** Checks the target and copies the members. */
    public SetInspection {
        Objects.requireNonNull(target, "target");
        members = Map.copyOf(members);
    }

    /** Returns the inspection of a set that does not exist; {@code problem} says how to create it. */
    public static SetInspection missing(SetTarget target, String problem) {
        return new SetInspection(target, false, null, null, false, false, -1, -1, problem, Map.of());
    }

    /** Returns whether the set can be written as configured. */
    public boolean usable() {
        return exists && problem == null;
    }

    /** Returns whether the set was found to hold {@code address} ({@code false} also when it could not be checked). */
    public boolean holds(InetAddress address) {
        return Boolean.TRUE.equals(members.get(address));
    }

    /** Returns whether the set is at its capacity, as far as the kernel says. */
    public boolean full() {
        return capacity > 0 && elements >= capacity;
    }
}
