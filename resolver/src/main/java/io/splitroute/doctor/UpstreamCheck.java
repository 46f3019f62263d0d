package io.splitroute.doctor;

import io.splitroute.config.SplitrouteConfig;
import io.splitroute.net.NetTransport;
import io.splitroute.upstream.SystemResolvers;
import io.splitroute.upstream.Upstream;
import io.splitroute.upstream.UpstreamFactory;
import io.splitroute.upstream.UpstreamGroup;
import io.splitroute.upstream.UpstreamOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Each server of each upstream group answers a real query, sent the way the server sends it (the same
 * upstream classes, one server at a time, within {@code upstream-timeout}).
 */
final class UpstreamCheck {
    private UpstreamCheck() {}

    /**
     * Asks every server of every group of {@code config} for {@code names.get(group)} (a name routed to that
     * group), or {@code example.com} for a group no checked name goes to.
     */
    static List<Finding> check(SplitrouteConfig config, Map<String, String> names) {
        List<Finding> findings = new ArrayList<>();
        try (NetTransport transport = NetTransport.create(1)) {
            UpstreamOptions options = new UpstreamOptions(config.upstreamTimeout(), transport,
                    SystemResolvers.DEFAULT_RESOLV_CONF);
            config.upstreams().forEach((group, spec) -> {
                UpstreamGroup built;
                try {
                    built = new UpstreamFactory().group(spec, options);
                } catch (RuntimeException e) {
                    findings.add(Finding.fail("upstream " + group, e.getMessage(), "name servers that exist in "
                            + "upstreams." + group + " (system: the nameservers of /etc/resolv.conf)"));
                    return;
                }
                String name = names.getOrDefault(group, "example.com");
                try {
                    for (Upstream server : built.servers()) {
                        findings.add(ask(group, server, name, config));
                    }
                } finally {
                    built.close();
                }
            });
        }
        return findings;
    }

    private static Finding ask(String group, Upstream server, String name, SplitrouteConfig config) {
        String check = "upstream " + group + " " + server.name();
        long start = System.nanoTime();
        Message reply;
        try {
            reply = server.query(DnsAsk.query(name, Type.A, DClass.IN))
                    .get(config.upstreamTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return Finding.fail(check, "no answer for " + name + ": " + e.getCause().getMessage(), "check that it "
                    + "answers from this machine: dig @" + address(server) + " " + name + "; ip route get " + address(server)
                    + " shows the way (a clean upstream goes through the tunnel: CLEAN_DNS in " + RoutingSettings.DEFAULT_FILE
                    + ", and the tunnel check below)");
        } catch (TimeoutException | org.xbill.DNS.TextParseException e) {
            return Finding.fail(check, "no answer for " + name + ": " + e, "check that " + server.name() + " is reachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.skip(check, "interrupted");
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        int rcode = reply.getRcode();
        String answered = "answered " + name + " " + Rcode.string(rcode) + " in " + ms + " ms";
        if (rcode == Rcode.REFUSED) {
            return Finding.fail(check, answered + ": it does not serve this machine", "use another server, or allow "
                    + "this machine's address on it");
        }
        if (rcode == Rcode.SERVFAIL) {
            return Finding.fail(check, answered + ": it cannot resolve", "use another server");
        }
        int addresses = DnsAsk.addresses(reply).size();
        return Finding.ok(check, answered + " (" + addresses + (addresses == 1 ? " address)" : " addresses)"));
    }

    private static String address(Upstream server) {
        String name = server.name();
        int scheme = name.indexOf("://");
        String rest = scheme < 0 ? name : name.substring(scheme + 3);
        if (rest.startsWith("[")) {
            return rest.substring(1, rest.indexOf(']'));
        }
        int colon = rest.lastIndexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }
}
