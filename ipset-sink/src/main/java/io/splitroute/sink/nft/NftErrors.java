package io.splitroute.sink.nft;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.NftSetTarget;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.netlink.Errno;
import java.net.InetAddress;

/** Turns nf_tables errnos into messages a user can act on. */
final class NftErrors {
    private NftErrors() {}

    static String keyType(AddressFamily family) {
        return family == AddressFamily.INET ? "ipv4_addr" : "ipv6_addr";
    }

    /** The command that creates {@code target} the way splitroute expects it, with room to spare. */
    static String createCommand(NftSetTarget target) {
        return "nft add set " + target.tableFamily() + " " + target.table() + " " + target.set()
                + " '{ type " + keyType(target.family()) + "; flags timeout; size " + SetSpec.RECOMMENDED_CAPACITY + "; }'";
    }

    static SetError missingSet(NftSetTarget target) {
        return new SetError(target, null, SetError.Kind.MISSING_SET, target.displayName()
                + " does not exist in this network namespace; create it with: " + createCommand(target));
    }

    static SetError missingTable(NftSetTarget target) {
        return new SetError(target, null, SetError.Kind.MISSING_SET, "nft table " + target.tableFamily() + " "
                + target.table() + " does not exist in this network namespace (needed for " + target.displayName()
                + "); create it with: nft add table " + target.tableFamily() + " " + target.table()
                + " && " + createCommand(target));
    }

    static SetError permission(NftSetTarget target) {
        return new SetError(target, null, SetError.Kind.PERMISSION, "writing to " + target.displayName()
                + " needs CAP_NET_ADMIN in this network namespace (EPERM): run as root or grant CAP_NET_ADMIN");
    }

    static SetError elementFamily(NftSetTarget target, InetAddress address) {
        return new SetError(target, address, SetError.Kind.WRONG_FAMILY, address.getHostAddress() + " is "
                + (AddressFamily.of(address) == AddressFamily.INET ? "IPv4" : "IPv6") + " but " + target.displayName()
                + " holds " + keyType(target.family()));
    }

    /** Returns whether {@code errno} concerns the whole target, so splitting the batch cannot help. */
    static boolean wholeTarget(int errno) {
        return errno == Errno.ENOENT || errno == Errno.EPERM || errno == Errno.EOPNOTSUPP || errno == Errno.EBUSY;
    }

    /** Decodes {@code errno} for {@code address} ({@code null}: the whole target). */
    static SetError of(int errno, NftSetTarget target, InetAddress address, NftSetInfo info, String extAck) {
        String what = address == null ? "" : address.getHostAddress() + " not added to ";
        String detail = extAck == null ? "" : " (" + extAck + ")";
        return switch (errno) {
            case Errno.ENOENT -> missingSet(target);
            case Errno.EPERM -> permission(target);
            case Errno.ENFILE, Errno.ENOSPC -> new SetError(target, address, SetError.Kind.SET_FULL, what
                    + target.displayName() + ": set is full (size " + (info == null ? "?" : info.size())
                    + "); recreate it with a larger size (" + createCommand(target) + ") or use shorter timeouts");
            case Errno.EINVAL -> info != null && !info.timeoutSupport()
                    ? new SetError(target, address, SetError.Kind.NO_TIMEOUT_SUPPORT, what + target.displayName()
                            + ": the set has no 'flags timeout'; recreate it with: " + createCommand(target))
                    : new SetError(target, address, SetError.Kind.REJECTED, what + target.displayName()
                            + ": kernel refused with " + Errno.describe(errno) + detail);
            default -> new SetError(target, address, SetError.Kind.REJECTED, what + target.displayName()
                    + ": kernel refused with " + Errno.describe(errno) + detail);
        };
    }
}
