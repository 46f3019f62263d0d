/**
 * Netlink from Java through the FFM API: a raw socket ({@link io.splitroute.sink.netlink.NetlinkSocket})
 * whose receives never block, a message builder with nested attributes, reply parsing that turns any
 * malformed bytes into a {@link io.splitroute.sink.netlink.NetlinkException}, ack matching by sequence
 * number with a timeout per call ({@link io.splitroute.sink.netlink.NetlinkExchange}) and errno names.
 * Knows nothing of ipset or nftables.
 */
package io.splitroute.sink.netlink;
