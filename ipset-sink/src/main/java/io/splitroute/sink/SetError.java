package io.splitroute.sink;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Why an element, or a whole write to a target, failed.
 *
 * @param target the set written to
 * @param address the element that failed, or {@code null} when the whole target failed
 * @param kind the class of failure, for counting
 * @param message text a user can act on, naming the set and the address
 */
public record SetError(SetTarget target, InetAddress address, Kind kind, String message) {
    /** Classes of failure. */
    public enum Kind {
        /** The set (or nft table) does not exist. */
        MISSING_SET,
        /** The set holds the other address family, or is not an address set. */
        WRONG_FAMILY,
        /** The set reached its maxelem / size. */
        SET_FULL,
        /** The set has no timeout support and the element had a timeout. */
        NO_TIMEOUT_SUPPORT,
        /** The process lacks CAP_NET_ADMIN in the namespace. */
        PERMISSION,
        /** The kernel rejected the element for another reason. */
        REJECTED,
        /**
         * The kernel did not acknowledge within the write deadline: the element may or may not be in the set.
         * Like a reply released at the deadline, it is a missed deadline rather than a failure.
         */
        UNACKNOWLEDGED,
        /** The socket failed, a reply was malformed, or the element was not sent. */
        IO
    }

    /** Checks the required fields. */
    public SetError {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** Returns whether this error is about the whole target rather than one element. */
    public boolean wholeTarget() {
        return address == null;
    }
}
