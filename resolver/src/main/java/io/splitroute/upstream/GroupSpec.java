package io.splitroute.upstream;

import io.splitroute.upstream.tls.TlsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One upstream group as configured: its servers in order and what applies to all of them.
 *
 * @param name      the group's name ({@code clean})
 * @param servers   server URIs ({@link ServerSpec#parse}) and {@code system}, tried in this order
 * @param iface     the interface every server's sockets are bound to, unless a {@code udp://}/{@code tcp://}
 *                  server names its own with {@code @IFACE}; {@code null} for none
 * @param mark      the packet mark of every socket ({@code SO_MARK}); {@code null} for none
 * @param tls       how tls:// and https:// servers are authenticated
 * @param method    the HTTP method of https:// servers
 * @param bootstrap plain servers ({@code udp://}, {@code tcp://}, {@code system}) that look up the HOST of
 *                  encrypted servers given without {@code @IP}; empty for none
 */
public record GroupSpec(String name, List<String> servers, String iface, Long mark, TlsOptions tls,
                        HttpsUpstream.Method method, List<String> bootstrap) {

    /**
     * Checks every entry now, so a bad one is reported with the group's name before anything starts.
     *
     * @throws IllegalArgumentException naming the group and the entry
     */
    public GroupSpec {
        Objects.requireNonNull(name, "name");
        servers = List.copyOf(servers);
        tls = Objects.requireNonNullElse(tls, TlsOptions.DEFAULT);
        method = Objects.requireNonNullElse(method, HttpsUpstream.Method.POST);
        bootstrap = List.copyOf(Objects.requireNonNullElse(bootstrap, List.of()));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("upstream group '" + name + "' has no servers");
        }
        try {
            new SocketBinding(iface, mark);
            servers.forEach(GroupSpec::check);
            for (String entry : bootstrap) {
                if (check(entry).protocol().encrypted()) {
                    throw new IllegalArgumentException("bootstrap server '" + entry + "' must be plain udp:// or tcp://");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("upstream group '" + name + "': " + e.getMessage(), e);
        }
    }

    /** A group of {@code servers} with no binding, default TLS, POST, no bootstrap servers. */
    public static GroupSpec of(String name, List<String> servers) {
        return new GroupSpec(name, servers, null, null, TlsOptions.DEFAULT, HttpsUpstream.Method.POST, List.of());
    }

    /** A copy whose sockets are bound to {@code interfaceName} and carry {@code packetMark} (either may be null). */
    public GroupSpec withBinding(String interfaceName, Long packetMark) {
        return new GroupSpec(name, servers, interfaceName, packetMark, tls, method, bootstrap);
    }

    /** A copy with other TLS options. */
    public GroupSpec withTls(TlsOptions options) {
        return new GroupSpec(name, servers, iface, mark, options, method, bootstrap);
    }

    /** A copy whose https:// servers use {@code httpMethod}. */
    public GroupSpec withMethod(HttpsUpstream.Method httpMethod) {
        return new GroupSpec(name, servers, iface, mark, tls, httpMethod, bootstrap);
    }

    /** A copy with other bootstrap servers. */
    public GroupSpec withBootstrap(List<String> plainServers) {
        return new GroupSpec(name, servers, iface, mark, tls, method, plainServers);
    }

    /** The binding every server starts from (a server's own {@code @IFACE} replaces the interface). */
    public SocketBinding binding() {
        return new SocketBinding(iface, mark);
    }

    /**
     * Each server as {@code splitroute check} shows it, in order: its URI and, in brackets, its binding and
     * for tls:// and https:// the certificate name, the CA file, pins and bootstrap servers
     * ({@code tls://dns.google:853@8.8.8.8 [interface wg0, TLS name dns.google]}); {@code system} unexpanded.
     */
    public List<String> describeServers() {
        List<String> described = new ArrayList<>(servers.size());
        for (String entry : servers) {
            if (isSystem(entry)) {
                described.add(ServerDescription.of(UpstreamFactory.SYSTEM, false, binding(), null, null, List.of()));
                continue;
            }
            ServerSpec server = ServerSpec.parse(entry.strip());
            boolean encrypted = server.protocol().encrypted();
            described.add(ServerDescription.of(server.uri(), server.iface() != null, binding().withInterface(server.iface()),
                    encrypted ? tls.nameFor(server.host()) : null, encrypted ? tls : null,
                    server.needsBootstrap() ? bootstrap : List.of()));
        }
        return described;
    }

    static boolean isSystem(String entry) {
        return entry.strip().toLowerCase(Locale.ROOT).equals(UpstreamFactory.SYSTEM);
    }

    private static ServerSpec check(String entry) {
        return isSystem(entry) ? SYSTEM_PLACEHOLDER : ServerSpec.parse(entry.strip());
    }

    /** Stands for {@code system} while checking: a plain server. */
    private static final ServerSpec SYSTEM_PLACEHOLDER =
            new ServerSpec(ServerSpec.Protocol.UDP, null, java.net.InetAddress.getLoopbackAddress(), 53, null, null);
}
