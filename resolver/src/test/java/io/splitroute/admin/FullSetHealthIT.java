package io.splitroute.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitroute.sink.KernelSetWriter;
import io.splitroute.sink.TestNamespace;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A kernel set that is full, for real: two ipsets of {@code maxelem 2} in a network namespace the test creates,
 * one per route, one with {@code on-error: answer} (the default) and one with {@code on-error: servfail}. The
 * third address of each route finds its set full: {@code /healthz} says which set, how full and what to do,
 * {@code dns.set.full} counts the refused element, and each set's {@code on-error} decides the reply.
 */
class FullSetHealthIT {
    private static TestNamespace ns;

    @BeforeAll
    static void namespace() {
        assumeTrue(TestNamespace.available(), "needs root and ip netns");
        ns = TestNamespace.create("full");
        ns.exec("ipset", "create", "answerset", "hash:ip", "timeout", "0", "maxelem", "2");
        ns.exec("ipset", "create", "failset", "hash:ip", "timeout", "0", "maxelem", "2");
    }

    @AfterAll
    static void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void fullSet_reportedOnHealthzCountedAndOnErrorDecidesTheReply() throws Exception {
        int adminPort = RunningResolver.freePort();
        try (FakeUpstream upstream = FakeUpstream.start().unknownWildcard(600);
             KernelSetWriter writer = KernelSetWriter.open(ns.path());
             RunningResolver resolver = RunningResolver.start("""
                     listen: ["${listen}"]
                     admin: { listen: "127.0.0.1:%d" }
                     upstreams: { isp: ["%s"] }
                     sets:
                       keep: { type: ipset, name: answerset }
                       strict: { type: ipset, name: failset, on-error: servfail }
                     routes:
                       - { name: lenient, domains: [lenient.test], upstream: isp, sets: [keep] }
                       - { name: strict, domains: [strict.test], upstream: isp, sets: [strict] }
                     set-write-deadline: 5s
                     """.formatted(adminPort, upstream.udpUri()), writer)) {
            AdminClient admin = new AdminClient("127.0.0.1:" + adminPort);
            for (String route : new String[] {"lenient", "strict"}) {
                for (int i = 1; i <= 2; i++) {
                    Message reply = resolver.client().udp("n" + i + "." + route + ".test", Type.A);
                    assertThat(reply.getRcode()).as("room in the set").isEqualTo(Rcode.NOERROR);
                }
            }
            assertThat(admin.get("/healthz").status()).as("nothing full yet").isEqualTo(200);

            Message kept = resolver.client().udp("n3.lenient.test", Type.A);
            Message refused = resolver.client().udp("n3.strict.test", Type.A);

            assertThat(kept.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(DnsClient.firstAddress(kept)).isEqualTo(FakeUpstream.wildcardAddress("n3.lenient.test"));
            assertThat(refused.getRcode()).as("on-error: servfail").isEqualTo(Rcode.SERVFAIL);
            assertThat(refused.getSection(Section.ANSWER)).isEmpty();
            assertThat(ns.exec("ipset", "list", "answerset"))
                    .doesNotContain(FakeUpstream.wildcardAddress("n3.lenient.test"));

            AdminClient.Answer health = admin.get("/healthz");
            assertThat(health.status()).as(health.body()).isEqualTo(503);
            assertThat(health.body()).contains(
                    "set keep (ipset answerset) is full: 2 of maxelem 2; raise maxelem",
                    "set strict (ipset failset) is full: 2 of maxelem 2; raise maxelem");
            String scrape = admin.awaitMetric("dns_set_full_total{set=\"strict\"} 1.0");
            assertThat(scrape.lines()).contains("dns_set_full_total{set=\"keep\"} 1.0",
                    "dns_set_full_total{set=\"strict\"} 1.0");
        }
    }
}
