/**
 * IP lists: networks such as chnroutes held in {@link io.splitroute.lists.ip.IpRangeTable}, a compact
 * sorted-range table that answers "is this address in the list" without an object per network, and
 * {@link io.splitroute.lists.ip.IpPrefix}, one parsed network. Lists are read by
 * {@link io.splitroute.lists.format.CidrFormat}.
 */
package io.splitroute.lists.ip;
