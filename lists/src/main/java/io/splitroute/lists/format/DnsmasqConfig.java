package io.splitroute.lists.format;

import java.util.List;
import java.util.Set;

/**
 * A dnsmasq configuration file as read by {@link DnsmasqFormat#parseConfig}: the routing rules of its
 * domain lines, and every line as a {@link DnsmasqDirective}, for {@code splitroute import-dnsmasq}.
 *
 * @param list the rules (domains of server/local/address/ipset/nftset lines) with problems and counts
 * @param directives every non-comment line that parsed, in order
 */
public record DnsmasqConfig(ParsedList list, List<DnsmasqDirective> directives) {
    /**
     * Options this reader knows the meaning of (DNS-related dnsmasq options); others are reported by
     * {@link #unknownOptions()} so an importer can say what it did not translate.
     */
    public static final Set<String> KNOWN_OPTIONS = Set.of(
            "server", "local", "address", "ipset", "nftset", "listen-address", "port", "interface",
            "except-interface", "bind-interfaces", "bind-dynamic", "cache-size", "no-resolv", "resolv-file",
            "no-poll", "no-hosts", "addn-hosts", "conf-file", "conf-dir", "servers-file", "bogus-nxdomain",
            "rebind-domain-ok", "stop-dns-rebind", "rebind-localhost-ok", "rev-server", "strict-order",
            "all-servers", "domain-needed", "bogus-priv", "min-cache-ttl", "max-cache-ttl", "neg-ttl",
            "local-ttl", "no-negcache", "log-queries", "log-facility", "user", "group", "pid-file",
            "keep-in-foreground", "edns-packet-max", "filter-aaaa", "filter-a", "dns-forward-max",
            "query-port", "min-port", "max-port", "domain", "expand-hosts", "local-service");

    /** Checks the components and freezes the directive list. */
    public DnsmasqConfig {
        directives = List.copyOf(directives);
    }

    /** Returns the {@code server=} and {@code local=} lines. */
    public List<DnsmasqDirective.Server> servers() {
        return of(DnsmasqDirective.Server.class);
    }

    /** Returns the {@code server=} lines without domains: the default upstreams. */
    public List<DnsmasqDirective.Server> defaultServers() {
        return servers().stream().filter(DnsmasqDirective.Server::isDefault).toList();
    }

    /** Returns the {@code address=} lines. */
    public List<DnsmasqDirective.Address> addresses() {
        return of(DnsmasqDirective.Address.class);
    }

    /** Returns the {@code ipset=} lines. */
    public List<DnsmasqDirective.Ipset> ipsets() {
        return of(DnsmasqDirective.Ipset.class);
    }

    /** Returns the {@code nftset=} lines. */
    public List<DnsmasqDirective.Nftset> nftsets() {
        return of(DnsmasqDirective.Nftset.class);
    }

    /** Returns every other option line ({@code listen-address}, {@code port}, {@code cache-size}, ...). */
    public List<DnsmasqDirective.Option> options() {
        return of(DnsmasqDirective.Option.class);
    }

    /**
     * Returns the values of an option, in file order (options such as {@code listen-address} may repeat).
     *
     * @param name the option name, e.g. {@code listen-address}
     * @return the values; a flag option contributes an empty string
     */
    public List<String> optionValues(String name) {
        return options().stream().filter(o -> o.name().equals(name)).map(o -> o.value() == null ? "" : o.value()).toList();
    }

    /** Returns the option lines whose name is not in {@link #KNOWN_OPTIONS}. */
    public List<DnsmasqDirective.Option> unknownOptions() {
        return options().stream().filter(o -> !KNOWN_OPTIONS.contains(o.name())).toList();
    }

    private <T extends DnsmasqDirective> List<T> of(Class<T> type) {
        return directives.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
