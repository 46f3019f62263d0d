package io.splitroute.sets;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the networks never written to any set: the built-in {@link #DEFAULTS}, the router's own listen
 * addresses, the tunnel's endpoint (from {@code never-route-wireguard:} files and the {@code WG_ENDPOINT}
 * variable the routing scripts' settings file puts in splitroute's environment), and {@code never-route:}.
 */
public final class NeverRoute {
    /**
     * Never a destination worth routing through a tunnel: loopback, unspecified ("this network"), limited
     * broadcast, multicast, link-local, and IPv4-mapped IPv6 (never on the wire).
     */
    public static final List<Cidr> DEFAULTS = List.of(
            Cidr.parse("127.0.0.0/8"), Cidr.parse("0.0.0.0/8"), Cidr.parse("255.255.255.255/32"),
            Cidr.parse("224.0.0.0/4"), Cidr.parse("169.254.0.0/16"),
            Cidr.parse("::1/128"), Cidr.parse("::/128"), Cidr.parse("ff00::/8"), Cidr.parse("fe80::/10"),
            Cidr.parse("::ffff:0:0/96"));

    private static final Logger log = LoggerFactory.getLogger(NeverRoute.class);

    private NeverRoute() {}

    /**
     * Returns the compiled networks, and logs what they were made of.
     *
     * @param config       the configured networks and endpoint files
     * @param ownAddresses the listen addresses; a wildcard ({@code 0.0.0.0}, {@code ::}) stands for every
     *                     address of the host's interfaces
     * @param wgEndpoint   the value of {@code WG_ENDPOINT} in the environment, or {@code null}
     */
    public static Networks compile(NeverRouteConfig config, Collection<InetAddress> ownAddresses, String wgEndpoint) {
        List<Cidr> all = new ArrayList<>(DEFAULTS);
        List<Cidr> own = own(ownAddresses);
        all.addAll(own);
        all.addAll(config.endpoints());
        config.unused().forEach(message -> log.warn("never-route-wireguard: {}", message));
        int fromEnvironment = 0;
        if (wgEndpoint != null && !wgEndpoint.isBlank()) {
            WireguardEndpoints.Found found = WireguardEndpoints.variable(wgEndpoint);
            all.addAll(found.networks());
            fromEnvironment = found.networks().size();
            found.unused().forEach(message -> log.warn("never-route: {} (from the environment)", message));
        }
        all.addAll(config.networks());
        Networks networks = Networks.of(all);
        log.info("never-route: {} networks never written to a set ({} built in, {} own addresses, {} tunnel endpoints"
                + " from {}{}, {} configured)", networks.ranges(), DEFAULTS.size(), own.size(),
                config.endpoints().size() + fromEnvironment, config.files().isEmpty() ? "no file" : config.files(),
                fromEnvironment > 0 ? " and WG_ENDPOINT" : "", config.networks().size());
        return networks;
    }

    private static List<Cidr> own(Collection<InetAddress> addresses) {
        List<Cidr> out = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (address.isAnyLocalAddress()) {
                interfaceAddresses(out);
            } else {
                out.add(host(address));
            }
        }
        return out;
    }

    private static void interfaceAddresses(List<Cidr> out) {
        try {
            NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .forEach(a -> out.add(host(a)));
        } catch (SocketException e) {
            log.warn("never-route: cannot list the interface addresses for a wildcard listen address: {}", e.getMessage());
        }
    }

    private static Cidr host(InetAddress address) {
        return new Cidr(address, address.getAddress().length * 8);
    }
}
