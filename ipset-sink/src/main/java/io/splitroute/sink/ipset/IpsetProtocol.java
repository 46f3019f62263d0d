package io.splitroute.sink.ipset;

/** Constants of the ipset netlink protocol (include/uapi/linux/netfilter/ipset/ip_set.h). */
final class IpsetProtocol {
    static final int NFNL_SUBSYS_IPSET = 6;
    static final int PROTOCOL_MAX = 7;
    static final int PROTOCOL_MIN = 6;

    static final int CMD_PROTOCOL = 1;
    static final int CMD_CREATE = 2;
    static final int CMD_LIST = 7;
    static final int CMD_ADD = 9;
    static final int CMD_TEST = 11;
    static final int CMD_TYPE = 13;

    // Command-level attributes.
    static final int ATTR_PROTOCOL = 1;
    static final int ATTR_SETNAME = 2;
    static final int ATTR_TYPENAME = 3;
    static final int ATTR_REVISION = 4;
    static final int ATTR_FAMILY = 5;
    static final int ATTR_FLAGS = 6;
    static final int ATTR_DATA = 7;
    static final int ATTR_ADT = 8;
    static final int ATTR_LINENO = 9;
    static final int ATTR_PROTOCOL_MIN = 10;

    // Data-level attributes (inside ATTR_DATA).
    static final int ATTR_IP = 1;
    static final int ATTR_CIDR = 3;
    static final int ATTR_TIMEOUT = 6;
    static final int ATTR_HASHSIZE = 18;
    static final int ATTR_MAXELEM = 19;
    static final int ATTR_ELEMENTS = 24;

    // Inside ATTR_IP.
    static final int ATTR_IPADDR_IPV4 = 1;
    static final int ATTR_IPADDR_IPV6 = 2;

    static final int FLAG_LIST_HEADER = 1 << 2;

    static final int NFPROTO_IPV4 = 2;
    static final int NFPROTO_IPV6 = 10;

    /** The kernel's limit for a timeout, in seconds ((UINT_MAX >> 1) / 1000). */
    static final long MAX_TIMEOUT_SECONDS = 2_147_483L;

    // ipset-specific errno values (negated in acks).
    static final int ERR_PROTOCOL = 4097;
    static final int ERR_FIND_TYPE = 4098;
    static final int ERR_TYPE_MISMATCH = 4102;
    static final int ERR_EXIST = 4103;
    static final int ERR_INVALID_FAMILY = 4106;
    static final int ERR_TIMEOUT = 4107;
    static final int ERR_IPADDR_IPV4 = 4109;
    static final int ERR_IPADDR_IPV6 = 4110;
    static final int ERR_HASH_FULL = 4352;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;

    private IpsetProtocol() {}

    /** Returns the nlmsg_type of ipset command {@code cmd}. */
    static int type(int cmd) {
        return NFNL_SUBSYS_IPSET << 8 | cmd;
    }
}
