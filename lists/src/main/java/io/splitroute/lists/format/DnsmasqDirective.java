package io.splitroute.lists.format;

import java.util.List;

/**
 * One line of a dnsmasq configuration, as {@link DnsmasqFormat#parseConfig} read it.
 *
 * <p>Domain patterns are lower case, punycode, without leading dot or trailing dot, and keep dnsmasq's
 * special forms: {@code *.example.com} (subdomains only), {@code *example.com} (any name ending in the
 * text), {@code ""} (unqualified names, from {@code //}) and {@code #} (every name).
 */
public sealed interface DnsmasqDirective {
    /** Returns the 1-based line number. */
    int line();

    /** Returns the raw line. */
    String text();

    /**
     * A {@code server=} or {@code local=} line.
     *
     * @param line the line number
     * @param text the raw line
     * @param option {@code server} or {@code local}
     * @param domains the domain patterns; empty for a default upstream ({@code server=1.2.3.4})
     * @param address the upstream address; null for "answer locally only" ({@code local=/d/}, {@code server=/d/}),
     *                {@code #} for "use the default upstreams"
     * @param port the upstream port (53 when not given; 0 when there is no address)
     * @param via the {@code @source-address} or {@code @interface} part, or null
     */
    record Server(int line, String text, String option, List<String> domains, String address, int port, String via)
            implements DnsmasqDirective {
        /** Returns true for a default upstream (no domains). */
        public boolean isDefault() {
            return domains.isEmpty();
        }
    }

    /**
     * An {@code address=} line.
     *
     * @param line the line number
     * @param text the raw line
     * @param domains the domain patterns
     * @param address the answer address; {@code #} for the null address (0.0.0.0 and ::), null for NXDOMAIN
     */
    record Address(int line, String text, List<String> domains, String address) implements DnsmasqDirective {
    }

    /**
     * An {@code ipset=} line.
     *
     * @param line the line number
     * @param text the raw line
     * @param domains the domain patterns
     * @param sets the kernel ipset names
     */
    record Ipset(int line, String text, List<String> domains, List<String> sets) implements DnsmasqDirective {
    }

    /**
     * An {@code nftset=} line.
     *
     * @param line the line number
     * @param text the raw line
     * @param domains the domain patterns
     * @param sets the nftables sets
     */
    record Nftset(int line, String text, List<String> domains, List<NftSet> sets) implements DnsmasqDirective {
    }

    /**
     * One nftables set of an {@code nftset=} line, e.g. {@code 4#inet#fw4#vpn_domains}.
     *
     * @param ipVersion 4 or 6 when the set takes only A or AAAA answers, 0 for both
     * @param family the nftables family ({@code inet}, {@code ip}, {@code ip6} ...), or null when omitted
     * @param table the table name
     * @param set the set name
     */
    record NftSet(int ipVersion, String family, String table, String set) {
    }

    /**
     * Any other option, e.g. {@code listen-address=127.0.0.1}, {@code cache-size=1000}, {@code no-resolv}.
     *
     * @param line the line number
     * @param text the raw line
     * @param name the option name, lower case
     * @param value the value without surrounding quotes, or null for a flag
     */
    record Option(int line, String text, String name, String value) implements DnsmasqDirective {
    }
}
