package io.splitroute.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds upstream groups from their configured form: a {@link GroupSpec} (servers, interface, mark, TLS
 * options, bootstrap servers), or just a name and a list of server URIs and {@code system}.
 *
 * <pre>{@code
 * UpstreamOptions options = UpstreamOptions.defaults(transport);
 * UpstreamGroup isp = new UpstreamFactory().group("isp", List.of("system"), options);
 * UpstreamGroup clean = new UpstreamFactory().group(
 *         GroupSpec.of("clean", List.of("tls://dns.google@8.8.8.8", "https://dns.google/dns-query@8.8.4.4"))
 *                 .withBinding("wg0", 0xca6cL), options);
 * }</pre>
 */
public final class UpstreamFactory {

    /** The entry that stands for the nameservers of {@link UpstreamOptions#resolvConf()}. */
    public static final String SYSTEM = "system";

    /** A factory; it holds no state. */
    public UpstreamFactory() {}

    /**
     * Builds the group {@code name} from {@code specs}, unbound, with default TLS options and no bootstrap
     * servers; see {@link #group(GroupSpec, UpstreamOptions)}.
     */
    public UpstreamGroup group(String name, List<String> specs, UpstreamOptions options) {
        return group(GroupSpec.of(name, specs), options);
    }

    /**
     * Builds a group, its servers in order. {@code system} expands, where it stands, to the nameservers of
     * {@link UpstreamOptions#resolvConf()} over UDP on port 53 (read now, once). A server listed twice is kept
     * once, at its first place. Encrypted servers without {@code @IP} look their HOST up through the
     * spec's bootstrap servers, bound like the group.
     *
     * @throws IllegalArgumentException if the group ends up with no server (for example {@code system} with a
     *     resolv.conf naming no nameserver), binds sockets on a transport that cannot (not epoll), or an
     *     encrypted server cannot be set up (no address and no bootstrap servers, unreadable ca-file); the
     *     message names the group
     * @throws UncheckedIOException if {@code system} is listed and resolv.conf cannot be read
     */
    public UpstreamGroup group(GroupSpec spec, UpstreamOptions options) {
        List<ServerSpec> servers = expand(spec.name(), spec.servers(), options);
        SocketBinding binding = spec.binding();
        boolean bound = binding.isBound() || servers.stream().anyMatch(s -> s.iface() != null);
        if (bound && !"epoll".equals(options.transport().name())) {
            throw new IllegalArgumentException("upstream group '" + spec.name() + "': binding sockets to an interface"
                    + " or a mark needs the native epoll transport, which is not available here ("
                    + options.transport().name() + ")");
        }
        Upstream bootstrap = null;
        if (servers.stream().anyMatch(ServerSpec::needsBootstrap) && !spec.bootstrap().isEmpty()) {
            bootstrap = group(new GroupSpec(spec.name() + "/bootstrap", spec.bootstrap(), spec.iface(), spec.mark(),
                    null, null, List.of()), options);
        }
        List<Upstream> built = new ArrayList<>(servers.size());
        try {
            for (ServerSpec server : servers) {
                built.add(server(server, spec, bootstrap, options));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("upstream group '" + spec.name() + "': " + e.getMessage(), e);
        }
        return new UpstreamGroup(spec.name(), built, bootstrap);
    }

    /** Builds one server: {@link UdpUpstream} or {@link TcpUpstream} by the address's protocol, unbound. */
    public Upstream server(UpstreamAddress address, UpstreamOptions options) {
        return switch (address.protocol()) {
            case UDP -> new UdpUpstream(address.address(), options);
            case TCP -> new TcpUpstream(address.address(), options);
        };
    }

    private static ServerUpstream server(ServerSpec server, GroupSpec group, Upstream bootstrap, UpstreamOptions options) {
        SocketBinding binding = group.binding();
        return switch (server.protocol()) {
            case UDP -> new UdpUpstream(server, binding, options);
            case TCP -> new TcpUpstream(server, binding, options);
            case TLS -> new TlsUpstream(server, binding, group.tls(), bootstrap, options);
            case HTTPS -> new HttpsUpstream(server, binding, group.tls(), group.method(), bootstrap, options);
        };
    }

    private static List<ServerSpec> expand(String name, List<String> entries, UpstreamOptions options) {
        Set<ServerSpec> servers = new LinkedHashSet<>();
        boolean system = false;
        for (String entry : entries) {
            if (GroupSpec.isSystem(entry)) {
                system = true;
                systemServers(name, options).forEach(a -> servers.add(ServerSpec.of(a)));
            } else {
                servers.add(ServerSpec.parse(entry.strip())); // checked by GroupSpec already
            }
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("upstream group '" + name + "' has no servers"
                    + (system ? " ('system' found no nameserver in " + options.resolvConf() + ")" : ""));
        }
        return List.copyOf(servers);
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
