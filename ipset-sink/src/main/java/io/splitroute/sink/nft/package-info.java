/**
 * The nftables dialect: {@link io.splitroute.sink.nft.NftSetWriter} sends {@code NFT_MSG_NEWSETELEM}
 * inside nfnetlink batches (subsystem 10) to sets of tables of family ip, ip6 and inet.
 */
package io.splitroute.sink.nft;
