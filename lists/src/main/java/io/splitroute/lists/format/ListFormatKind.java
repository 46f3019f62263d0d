package io.splitroute.lists.format;

import java.util.Locale;

/**
 * The list formats splitroute reads; the lower-case name is the config's {@code format:} value. All are
 * domain lists except {@link #CIDR}, an IP list ({@link #ipList()}).
 */
public enum ListFormatKind {
    /** gfwlist / AutoProxy rules, base64 as published or decoded. */
    GFWLIST,
    /** dnsmasq configuration lines ({@code server=/d/ip}, {@code ipset=}, {@code nftset=} ...). */
    DNSMASQ,
    /** One domain per line, {@code #} comments. */
    DOMAINS,
    /** v2fly domain-list-community {@code data/} files. */
    V2FLY,
    /** IP networks, one IPv4 or IPv6 prefix a line, {@code #} comments: an IP list such as chnroutes. */
    CIDR;

    /**
     * Returns the kind for a config value.
     *
     * @param name {@code gfwlist}, {@code dnsmasq}, {@code domains}, {@code v2fly} or {@code cidr} (any case)
     * @return the kind
     * @throws IllegalArgumentException for any other value, listing the accepted ones
     */
    public static ListFormatKind fromName(String name) {
        for (ListFormatKind k : values()) {
            if (k.configName().equalsIgnoreCase(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown list format \"" + name + "\": expected gfwlist, dnsmasq, domains, v2fly or cidr");
    }

    /** Returns true for the IP-list format ({@link #CIDR}), false for the domain-list formats. */
    public boolean ipList() {
        return this == CIDR;
    }

    /** Returns the name used in configs, e.g. {@code gfwlist}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
