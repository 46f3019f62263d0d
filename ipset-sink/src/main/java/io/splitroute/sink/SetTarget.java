package io.splitroute.sink;

/** A kernel set that addresses are written to: an ipset or an nftables set. */
public sealed interface SetTarget permits IpsetTarget, NftSetTarget {
    /** Returns how users name the set, e.g. {@code ipset gfwlist} or {@code nft set inet fw4 gfwlist6}. */
    String displayName();

    /** Returns the family of addresses the set holds. */
    AddressFamily family();
}
