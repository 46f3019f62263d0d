package io.splitroute.sink.nft;

/** Constants of the nf_tables netlink protocol (include/uapi/linux/netfilter/nf_tables.h). */
final class NftProtocol {
    static final int NFNL_SUBSYS_NFTABLES = 10;
    static final int NFNL_MSG_BATCH_BEGIN = 0x10;
    static final int NFNL_MSG_BATCH_END = 0x11;

    static final int MSG_GETTABLE = 1;
    static final int MSG_NEWSET = 9;
    static final int MSG_GETSET = 10;
    static final int MSG_NEWSETELEM = 12;
    static final int MSG_GETSETELEM = 13;

    // NFTA_TABLE_*
    static final int TABLE_NAME = 1;

    // NFTA_SET_*
    static final int SET_TABLE = 1;
    static final int SET_NAME = 2;
    static final int SET_FLAGS = 3;
    static final int SET_KEY_TYPE = 4;
    static final int SET_KEY_LEN = 5;
    static final int SET_DESC = 9;
    static final int SET_ID = 10;
    static final int SET_TIMEOUT = 11;
    static final int SET_DESC_SIZE = 1;

    // NFTA_SET_ELEM_LIST_*
    static final int ELEM_LIST_TABLE = 1;
    static final int ELEM_LIST_SET = 2;
    static final int ELEM_LIST_ELEMENTS = 3;
    static final int LIST_ELEM = 1;

    // NFTA_SET_ELEM_*
    static final int ELEM_KEY = 1;
    static final int ELEM_FLAGS = 3;
    static final int ELEM_TIMEOUT = 4;
    static final int ELEM_EXPIRATION = 5;
    static final int DATA_VALUE = 1;
    static final int ELEM_INTERVAL_END = 1;

    // NFT_SET_* flags
    static final int SET_F_CONSTANT = 0x2;
    static final int SET_F_INTERVAL = 0x4;
    static final int SET_F_MAP = 0x8;
    static final int SET_F_TIMEOUT = 0x10;
    static final int SET_F_CONCAT = 0x80;

    // nft data types (userspace ids carried in NFTA_SET_KEY_TYPE).
    static final int TYPE_IPADDR = 7;
    static final int TYPE_IP6ADDR = 8;

    static final int NFPROTO_INET = 1;
    static final int NFPROTO_IPV4 = 2;
    static final int NFPROTO_IPV6 = 10;

    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;

    private NftProtocol() {}

    /** Returns the nlmsg_type of nf_tables message {@code msg}. */
    static int type(int msg) {
        return NFNL_SUBSYS_NFTABLES << 8 | msg;
    }

    /** Returns the nfgenmsg family of a table family name. */
    static int nfproto(String tableFamily) {
        return switch (tableFamily) {
            case "ip" -> NFPROTO_IPV4;
            case "ip6" -> NFPROTO_IPV6;
            case "inet" -> NFPROTO_INET;
            default -> throw new IllegalArgumentException("unknown nft table family: " + tableFamily);
        };
    }
}
