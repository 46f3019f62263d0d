package io.splitroute.sink;

import java.util.Objects;
import java.util.Set;

/**
 * An nftables set.
 *
 * @param tableFamily the table's family: {@code ip}, {@code ip6} or {@code inet}
 * @param table the table name, e.g. {@code fw4}
 * @param set the set name
 * @param family the family of the set's key ({@code ipv4_addr} or {@code ipv6_addr})
 */
public record NftSetTarget(String tableFamily, String table, String set, AddressFamily family) implements SetTarget {
    private static final Set<String> TABLE_FAMILIES = Set.of("ip", "ip6", "inet");

    /** Checks the table family is one of ip, ip6, inet and that it can hold {@code family}. */
    public NftSetTarget {
        Objects.requireNonNull(family, "family");
        if (!TABLE_FAMILIES.contains(tableFamily)) {
            throw new IllegalArgumentException("nft table family must be ip, ip6 or inet: '" + tableFamily + "'");
        }
        if (table == null || table.isEmpty() || set == null || set.isEmpty()) {
            throw new IllegalArgumentException("nft table and set names must not be empty: '" + table + "', '" + set + "'");
        }
    }

    @Override
    public String displayName() {
        return "nft set " + tableFamily + " " + table + " " + set;
    }
}
