package io.splitroute.sink.ipset;

import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.SetError;
import io.splitroute.sink.SetSpec;
import io.splitroute.sink.netlink.Errno;
import java.net.InetAddress;

/** Turns ipset error codes into messages a user can act on. */
final class IpsetErrors {
    private IpsetErrors() {}

    /** The command that creates {@code target} the way splitroute expects it, with room to spare. */
    static String createCommand(IpsetTarget target) {
        return createCommand(target, "hash:ip");
    }

    /** The command that creates {@code target} as a set of {@code type} (hash:ip, hash:net). */
    static String createCommand(IpsetTarget target, String type) {
        return "ipset create " + target.name() + " " + type
                + (target.family() == AddressFamily.INET6 ? " family inet6" : "") + " timeout 0 maxelem "
                + SetSpec.RECOMMENDED_CAPACITY;
    }

    static SetError missing(IpsetTarget target) {
        return new SetError(target, null, SetError.Kind.MISSING_SET, target.displayName()
                + " does not exist in this network namespace; create it with: " + createCommand(target));
    }

    static SetError permission(IpsetTarget target) {
        return new SetError(target, null, SetError.Kind.PERMISSION, "writing to " + target.displayName()
                + " needs CAP_NET_ADMIN in this network namespace (EPERM): run as root or grant CAP_NET_ADMIN");
    }

    static SetError wrongFamily(IpsetTarget target, IpsetInfo info) {
        return new SetError(target, null, SetError.Kind.WRONG_FAMILY, target.displayName() + " has family "
                + info.family().ipsetName() + " but is configured as " + target.family().ipsetName()
                + "; fix the configured family or recreate it with: " + createCommand(target));
    }

    static SetError elementFamily(IpsetTarget target, InetAddress address) {
        return new SetError(target, address, SetError.Kind.WRONG_FAMILY, address.getHostAddress() + " is "
                + (AddressFamily.of(address) == AddressFamily.INET ? "IPv4" : "IPv6") + " but "
                + target.displayName() + " has family " + target.family().ipsetName());
    }

    /** Decodes {@code errno} (positive) for {@code address} ({@code null}: the whole target). */
    static SetError of(int errno, IpsetTarget target, InetAddress address, IpsetInfo info) {
        String what = address == null ? "" : address.getHostAddress() + " not added to ";
        return switch (errno) {
            case Errno.ENOENT -> missing(target);
            case Errno.EPERM -> permission(target);
            case ERR_HASH_FULL -> new SetError(target, address, SetError.Kind.SET_FULL, what + target.displayName()
                    + ": set is full (maxelem " + (info == null ? "?" : info.maxElem())
                    + "); recreate it with a larger maxelem (" + createCommand(target, info == null ? "hash:ip" : info.typeName())
                    + ") or use shorter timeouts");
            case ERR_TIMEOUT -> new SetError(target, address, SetError.Kind.NO_TIMEOUT_SUPPORT, what
                    + target.displayName() + ": the set was created without timeout support; recreate it with: "
                    + createCommand(target));
            case ERR_INVALID_FAMILY, ERR_IPADDR_IPV4, ERR_IPADDR_IPV6 -> new SetError(target, address,
                    SetError.Kind.WRONG_FAMILY, what + target.displayName() + ": wrong address family for the set");
            default -> new SetError(target, address, SetError.Kind.REJECTED, what + target.displayName()
                    + ": kernel refused with " + name(errno));
        };
    }

    private static final int ERR_HASH_FULL = IpsetProtocol.ERR_HASH_FULL;
    private static final int ERR_TIMEOUT = IpsetProtocol.ERR_TIMEOUT;
    private static final int ERR_INVALID_FAMILY = IpsetProtocol.ERR_INVALID_FAMILY;
    private static final int ERR_IPADDR_IPV4 = IpsetProtocol.ERR_IPADDR_IPV4;
    private static final int ERR_IPADDR_IPV6 = IpsetProtocol.ERR_IPADDR_IPV6;

    /** Returns a readable name for an errno or an ipset error code. */
    static String name(int errno) {
        return switch (errno) {
            case IpsetProtocol.ERR_PROTOCOL -> "IPSET_ERR_PROTOCOL (malformed request or unsupported protocol)";
            case IpsetProtocol.ERR_FIND_TYPE -> "IPSET_ERR_FIND_TYPE (set type or revision not supported by the kernel)";
            case IpsetProtocol.ERR_TYPE_MISMATCH -> "IPSET_ERR_TYPE_MISMATCH";
            case IpsetProtocol.ERR_EXIST -> "IPSET_ERR_EXIST";
            case ERR_HASH_FULL -> "IPSET_ERR_HASH_FULL";
            case ERR_TIMEOUT -> "IPSET_ERR_TIMEOUT";
            default -> errno >= 4096 ? "ipset error " + errno : Errno.describe(errno);
        };
    }
}
