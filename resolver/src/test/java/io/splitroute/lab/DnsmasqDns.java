package io.splitroute.lab;

import io.splitroute.it.ChildProcess;
import java.io.IOException;

/**
 * dnsmasq on the router, configured the gfwlist2dnsmasq way: {@code server=/blocked.example/CLEAN#53} (not bound
 * to the tunnel: no {@code @wg0}) and {@code ipset=/blocked.example/gfwlist} (or {@code nftset=}), no
 * resolv.conf, the ISP as default upstream.
 */
public final class DnsmasqDns extends RouterDns {

    /** Creates the server for {@code lab}. */
    public DnsmasqDns(RouterLab lab) {
        super(lab);
    }

    @Override
    protected ChildProcess launch() throws IOException {
        String domain = RouterLab.LISTED_DOMAIN;
        return lab().router().spawn("dnsmasq", lab().dir().resolve("router-dnsmasq.log"), "dnsmasq",
                "--keep-in-foreground", "--log-facility=-", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                "--pid-file=", "--user=root", "--bind-interfaces",
                "--listen-address=" + RouterLab.ROUTER_LAN + ",127.0.0.1", "--cache-size=1000",
                "--server=/" + domain + "/" + RouterLab.CLEAN_DNS_ROUTED + "#53",
                lab().flavour().dnsmasqSetOption(domain),
                "--server=" + RouterLab.ISP_DNS);
    }
}
