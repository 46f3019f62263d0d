package io.splitroute.sets;

import java.nio.file.Path;
import java.util.List;

/**
 * The configured part of {@code never-route}: networks never written to any set, on top of the built-in
 * defaults ({@link NeverRoute#DEFAULTS}), the router's own listen addresses and the tunnel's endpoint.
 *
 * @param networks  the {@code never-route:} networks
 * @param files     the {@code never-route-wireguard:} files (wg-quick configs or the routing scripts'
 *                  settings file), read when the config was loaded
 * @param endpoints the endpoint addresses read from those files
 * @param unused    one message per endpoint line of those files that gave no address (a host name)
 */
public record NeverRouteConfig(List<Cidr> networks, List<Path> files, List<Cidr> endpoints, List<String> unused) {
    /** Nothing configured: the defaults alone. */
    public static final NeverRouteConfig DEFAULT = new NeverRouteConfig(List.of(), List.of(), List.of(), List.of());

    /** Copies the lists. */
    public NeverRouteConfig {
        networks = List.copyOf(networks);
        files = List.copyOf(files);
        endpoints = List.copyOf(endpoints);
        unused = List.copyOf(unused);
    }
}
