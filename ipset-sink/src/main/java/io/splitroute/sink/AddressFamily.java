package io.splitroute.sink;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The address family of a kernel set: IPv4 ({@code inet}) or IPv6 ({@code inet6}). */
public enum AddressFamily {
    /** IPv4 addresses; ipset {@code family inet}, nftables key {@code ipv4_addr}. */
    INET,
    /** IPv6 addresses; ipset {@code family inet6}, nftables key {@code ipv6_addr}. */
    INET6;

    /** Returns the family of {@code address}. */
    public static AddressFamily of(InetAddress address) {
        return address instanceof Inet4Address ? INET : INET6;
    }

    /** Returns the name ipset and nft use: {@code inet} or {@code inet6}. */
    public String ipsetName() {
        return this == INET ? "inet" : "inet6";
    }
}
