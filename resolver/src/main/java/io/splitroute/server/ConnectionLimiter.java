package io.splitroute.server;

import io.netty.channel.Channel;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides at accept whether a TCP connection may be served: its client must be inside the ACL, have fewer than
 * the per-client cap of connections open, and the total must be under its cap. A rejected connection is
 * closed before it counts against any cap, and the rejection is counted by reason.
 */
final class ConnectionLimiter {
    private final List<IpSubnetFilterRule> acl;
    private final int max;
    private final int maxPerClient;
    private final TcpStats stats;
    private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    /**
     * @param acl          allowed client networks ({@code 192.168.0.0/16}, validated by the config loader)
     * @param max          most connections open at once
     * @param maxPerClient most connections open at once from one address
     */
    ConnectionLimiter(List<String> acl, int max, int maxPerClient, TcpStats stats) {
        this.acl = acl.stream().map(ConnectionLimiter::rule).toList();
        this.max = max;
        this.maxPerClient = maxPerClient;
        this.stats = stats;
    }

    /**
     * Admits {@code channel}, just accepted, and releases its slots when it closes; or closes it at once and
     * returns {@code false}.
     */
    boolean admit(Channel channel) {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        TcpStats.Rejection rejection = take(remote);
        if (rejection != null) {
            stats.reject(rejection);
            channel.close();
            return false;
        }
        channel.closeFuture().addListener(closed -> release(remote.getAddress()));
        return true;
    }

    private TcpStats.Rejection take(InetSocketAddress remote) {
        if (remote == null || !allowed(remote)) {
            return TcpStats.Rejection.ACL;
        }
        InetAddress client = remote.getAddress();
        boolean[] taken = new boolean[1];
        perClient.compute(client, (address, open) -> {
            int n = open == null ? 0 : open;
            taken[0] = n < maxPerClient;
            return taken[0] ? n + 1 : open;
        });
        if (!taken[0]) {
            return TcpStats.Rejection.PER_CLIENT;
        }
        if (stats.open.incrementAndGet() > max) {
            release(client);
            return TcpStats.Rejection.MAX_CONNECTIONS;
        }
        return null;
    }

    private void release(InetAddress client) {
        stats.open.decrementAndGet();
        perClient.computeIfPresent(client, (address, open) -> open <= 1 ? null : open - 1);
    }

    private boolean allowed(InetSocketAddress remote) {
        for (IpSubnetFilterRule rule : acl) {
            if (rule.matches(remote)) {
                return true;
            }
        }
        return false;
    }

    private static IpSubnetFilterRule rule(String cidr) {
        int slash = cidr.indexOf('/');
        return new IpSubnetFilterRule(cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)),
                IpFilterRuleType.ACCEPT);
    }
}
