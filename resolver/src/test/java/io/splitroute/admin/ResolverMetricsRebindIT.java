package io.splitroute.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.splitroute.config.ConfigLoader;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import io.splitroute.upstream.UpstreamFactory;
import io.splitroute.upstream.UpstreamGroup;
import io.splitroute.upstream.UpstreamOptions;
import io.splitroute.upstream.Upstream;
import io.splitroute.net.NetTransport;
import io.splitroute.routing.RouteLists;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** After a reload the upstream, set and list meters follow the new config. */
class ResolverMetricsRebindIT {

    @Test
    void rebind_newGroupsReplaceOldOnesAndTheirLatencyIsRecorded() throws Exception {
        try (FakeUpstream old = FakeUpstream.start(); FakeUpstream fresh = FakeUpstream.start()
                .answer("a.example.", Type.A, 60, "192.0.2.9");
             RunningResolver resolver = RunningResolver.start("""
                     listen: ["${listen}"]
                     admin: { listen: "127.0.0.1:%d" }
                     upstreams: { isp: ["%s"] }
                     """.formatted(RunningResolver.freePort(), old.udpUri()))) {
            PrometheusMeterRegistry registry = resolver.lifecycle().admin().registry();
            SplitrouteConfig next = ConfigLoader.parse("""
                    upstreams: { isp: ["%s"] }
                    """.formatted(fresh.udpUri()), "next.yaml", Path.of("."));
            NetTransport transport = NetTransport.create(1);
            try {
                UpstreamGroup group = new UpstreamFactory().group("isp", List.of(fresh.udpUri()),
                        new UpstreamOptions(Duration.ofSeconds(1), transport, Path.of("/etc/resolv.conf")));
                Map<String, Upstream> upstreams = Map.of("isp", group);

                resolver.lifecycle().admin().rebind(next, upstreams, RouteLists.compile(next).lists());
                group.query(io.splitroute.support.DnsClient.query("a.example", Type.A, 0)).get();

                String latency = "dns_upstream_latency_seconds_count{server=\"" + fresh.udpUri() + "\",upstream=\"isp\"} 1";
                // The latency is recorded on the event loop right after the reply completes the future.
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (!registry.scrape().lines().toList().contains(latency) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                String scrape = registry.scrape();
                assertThat(scrape).doesNotContain("server=\"" + old.udpUri() + "\"");
                assertThat(scrape.lines()).contains(
                        "dns_upstream_queries_total{server=\"" + fresh.udpUri() + "\",upstream=\"isp\"} 1.0",
                        "dns_upstream_latency_seconds_count{server=\"" + fresh.udpUri() + "\",upstream=\"isp\"} 1");
            } finally {
                transport.close();
            }
        }
    }
}
