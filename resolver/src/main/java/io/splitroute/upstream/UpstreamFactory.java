package io.splitroute.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds upstream groups from their configured form: a name and a list of {@code udp://IP[:PORT]},
 * {@code tcp://IP[:PORT]} and {@code system} entries.
 *
 * <pre>{@code
 * UpstreamOptions options = UpstreamOptions.defaults(transport);
 * UpstreamGroup clean = new UpstreamFactory().group("clean", List.of("udp://8.8.8.8:53", "tcp://8.8.4.4"), options);
 * UpstreamGroup isp = new UpstreamFactory().group("isp", List.of("system"), options);
 * }</pre>
 */
public final class UpstreamFactory {

    /** The entry that stands for the nameservers of {@link UpstreamOptions#resolvConf()}. */
    public static final String SYSTEM = "system";

    /** A factory; it holds no state. */
    public UpstreamFactory() {}

    /**
     * Builds the group {@code name} from {@code specs}, in order. {@code system} expands, where it stands, to
     * the nameservers of {@link UpstreamOptions#resolvConf()} over UDP on port 53 (read now, once). A server
     * listed twice is kept once, at its first place.
     *
     * @throws IllegalArgumentException if an entry does not parse, or the group ends up with no server (for
     *     example {@code system} with a resolv.conf naming no nameserver); the message names the group
     * @throws UncheckedIOException if {@code system} is listed and resolv.conf cannot be read
     */
    public UpstreamGroup group(String name, List<String> specs, UpstreamOptions options) {
        Set<UpstreamAddress> addresses = new LinkedHashSet<>();
        boolean system = false;
        for (String spec : specs) {
            if (spec.strip().toLowerCase(Locale.ROOT).equals(SYSTEM)) {
                system = true;
                addresses.addAll(systemServers(name, options));
            } else {
                try {
                    addresses.add(UpstreamAddress.parse(spec.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("upstream group '" + name + "': " + e.getMessage(), e);
                }
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("upstream group '" + name + "' has no servers"
                    + (system ? " ('system' found no nameserver in " + options.resolvConf() + ")" : ""));
        }
        List<Upstream> servers = new ArrayList<>(addresses.size());
        addresses.forEach(a -> servers.add(server(a, options)));
        return new UpstreamGroup(name, servers);
    }

    /** Builds one server: {@link UdpUpstream} or {@link TcpUpstream} by the address's protocol. */
    public Upstream server(UpstreamAddress address, UpstreamOptions options) {
        return switch (address.protocol()) {
            case UDP -> new UdpUpstream(address.address(), options);
            case TCP -> new TcpUpstream(address.address(), options);
        };
    }

    private static List<UpstreamAddress> systemServers(String group, UpstreamOptions options) {
        try {
            return SystemResolvers.read(options.resolvConf());
        } catch (IOException e) {
            throw new UncheckedIOException("upstream group '" + group + "': cannot read " + options.resolvConf()
                    + " for 'system': " + e.getMessage(), e);
        }
    }
}
