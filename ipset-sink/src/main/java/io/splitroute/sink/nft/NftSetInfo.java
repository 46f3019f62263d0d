package io.splitroute.sink.nft;

import io.splitroute.sink.AddressFamily;

/**
 * What a probe learnt about an nftables set.
 *
 * @param flags NFT_SET_* flags
 * @param keyType the nft data type id of the key (7 ipv4_addr, 8 ipv6_addr)
 * @param keyLength key length in bytes
 * @param defaultTimeoutMillis the set's default timeout (0: none)
 * @param size the set's size limit (0: none)
 */
record NftSetInfo(int flags, int keyType, int keyLength, long defaultTimeoutMillis, long size) {
    /** Returns the family the key holds, or {@code null} if the key is not a plain address. */
    AddressFamily family() {
        if ((flags & (NftProtocol.SET_F_MAP | NftProtocol.SET_F_CONCAT)) != 0) {
            return null;
        }
        if (keyLength == 4 && keyType == NftProtocol.TYPE_IPADDR) {
            return AddressFamily.INET;
        }
        if (keyLength == 16 && keyType == NftProtocol.TYPE_IP6ADDR) {
            return AddressFamily.INET6;
        }
        return null;
    }

    boolean timeoutSupport() {
        return (flags & NftProtocol.SET_F_TIMEOUT) != 0;
    }

    boolean interval() {
        return (flags & NftProtocol.SET_F_INTERVAL) != 0;
    }

    String keyName() {
        return switch (keyType) {
            case NftProtocol.TYPE_IPADDR -> "ipv4_addr";
            case NftProtocol.TYPE_IP6ADDR -> "ipv6_addr";
            default -> "type " + keyType + " (" + keyLength + " bytes)";
        };
    }
}
