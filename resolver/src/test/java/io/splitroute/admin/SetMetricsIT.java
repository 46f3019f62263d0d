package io.splitroute.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.sink.KernelSetWriter;
import io.splitroute.sink.TestNamespace;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * The set meters against a real ipset in a network namespace the test creates: the live element count is
 * the kernel's (including elements splitroute did not write), the maximum is the set's maxelem.
 */
class SetMetricsIT {
    private static TestNamespace ns;

    @BeforeAll
    static void namespace() {
        assumeTrue(TestNamespace.available(), "needs root and ip netns");
        ns = TestNamespace.create("admin");
    }

    @AfterAll
    static void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void ipset_liveElementsAndMaximumFromTheKernel() throws Exception {
        ns.exec("ipset", "create", "gfwlist", "hash:ip", "timeout", "0", "maxelem", "1000");
        ns.exec("ipset", "add", "gfwlist", "203.0.113.1");
        ns.exec("ipset", "add", "gfwlist", "203.0.113.2");
        int adminPort = RunningResolver.freePort();
        try (FakeUpstream upstream = FakeUpstream.start().answer("www.blocked.example.", Type.A, 600, "192.0.2.1");
             KernelSetWriter writer = KernelSetWriter.open(ns.path());
             RunningResolver resolver = RunningResolver.start("""
                     listen: ["${listen}"]
                     admin: { listen: "127.0.0.1:%d" }
                     upstreams: { isp: ["%s"] }
                     sets: { ip4: { type: ipset, name: gfwlist } }
                     routes: [{ name: tunnel, domains: [blocked.example], upstream: isp, sets: [ip4] }]
                     """.formatted(adminPort, upstream.udpUri()), writer)) {
            resolver.client().udp("www.blocked.example", Type.A);
            AdminClient admin = new AdminClient("127.0.0.1:" + adminPort);

            String scrape = admin.awaitMetric("dns_set_live_elements{set=\"ip4\"} 3.0");

            assertThat(ns.exec("ipset", "list", "gfwlist")).contains("192.0.2.1");
            assertThat(scrape.lines()).contains("dns_set_live_elements{set=\"ip4\"} 3.0",
                    "dns_set_max_elements{set=\"ip4\"} 1000.0", "dns_set_elements_total{set=\"ip4\"} 1.0",
                    "dns_set_writes_total{set=\"ip4\"} 1.0");
            assertThat(scrape).contains("dns_set_write_latency_seconds_count{set=\"ip4\"} 1");
        }
    }
}
