/**
 * Netlink from Java through the FFM API: a raw socket ({@link io.splitroute.sink.netlink.NetlinkSocket}),
 * a message builder with nested attributes, reply parsing, ack matching by sequence number
 * ({@link io.splitroute.sink.netlink.NetlinkExchange}) and errno names. Knows nothing of ipset or nftables.
 */
package io.splitroute.sink.netlink;
