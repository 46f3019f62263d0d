package io.splitroute.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.sink.RecordingSetWriter;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The meters, as Prometheus scrapes them from a resolver running in-process, after real queries. */
class ResolverMetricsIT {
    @TempDir
    Path dir;
    private FakeUpstream clean;
    private FakeUpstream isp;
    private RunningResolver resolver;
    private AdminClient admin;

    @BeforeEach
    void start() throws Exception {
        clean = FakeUpstream.start().answer("a.example.", Type.A, 300, "192.0.2.1");
        isp = FakeUpstream.start().answer("b.example.", Type.A, 300, "198.51.100.1");
        Path list = Files.writeString(dir.resolve("tunnel.txt"), "a.example\nlisted.example\nother.example\n");
        int adminPort = RunningResolver.freePort();
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                admin: { listen: "127.0.0.1:%d" }
                upstreams: { clean: ["%s"], isp: ["%s"] }
                lists: { tunnel-list: { file: "%s", format: domains } }
                sets: { gfw4: { type: ipset, name: gfw4 } }
                routes:
                  - { name: tunnel, lists: [tunnel-list], upstream: clean, sets: [gfw4] }
                default-upstream: isp
                """.formatted(adminPort, clean.udpUri(), isp.udpUri(), list), new RecordingSetWriter());
        admin = new AdminClient("127.0.0.1:" + adminPort);
    }

    @AfterEach
    void stop() {
        resolver.close();
        clean.close();
        isp.close();
    }

    @Test
    void queries_countedByRouteSourceRcodeAndTransport() throws Exception {
        DnsClient dns = resolver.client();
        assertThat(dns.udp("a.example", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(dns.udp("a.example", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(dns.tcp(DnsClient.query("b.example", Type.A, 0)).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(dns.udp("missing.example", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        String scrape = admin.awaitMetric(
                "dns_queries_total{rcode=\"NXDOMAIN\",route=\"default\",source=\"upstream\",transport=\"udp\"} 1.0");

        assertThat(scrape.lines()).contains(
                "dns_queries_total{rcode=\"NOERROR\",route=\"tunnel\",source=\"upstream\",transport=\"udp\"} 1.0",
                "dns_queries_total{rcode=\"NOERROR\",route=\"tunnel\",source=\"cache\",transport=\"udp\"} 1.0",
                "dns_queries_total{rcode=\"NOERROR\",route=\"default\",source=\"upstream\",transport=\"tcp\"} 1.0",
                "dns_queries_total{rcode=\"NXDOMAIN\",route=\"default\",source=\"upstream\",transport=\"udp\"} 1.0");
    }

    @Test
    void chaosQuery_countedAsLocalWithoutRoute() throws Exception {
        org.xbill.DNS.Message query = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                org.xbill.DNS.Name.fromString("version.bind."), Type.TXT, org.xbill.DNS.DClass.CH));
        assertThat(resolver.client().tcp(query).getRcode()).isEqualTo(Rcode.NOERROR);

        String scrape = admin.awaitMetric(
                "dns_queries_total{rcode=\"NOERROR\",route=\"none\",source=\"local\",transport=\"tcp\"} 1.0");

        assertThat(scrape.lines()).contains(
                "dns_queries_total{rcode=\"NOERROR\",route=\"none\",source=\"local\",transport=\"tcp\"} 1.0");
        assertThat(clean.received()).isEmpty();
        assertThat(isp.received()).isEmpty();
    }

    @Test
    void replyLatency_histogramPerSource() throws Exception {
        resolver.client().udp("a.example", Type.A);
        resolver.client().udp("a.example", Type.A);

        String scrape = admin.awaitMetric("dns_reply_latency_seconds_count{source=\"cache\"} 1");

        assertThat(scrape.lines()).contains("dns_reply_latency_seconds_count{source=\"upstream\"} 1",
                "dns_reply_latency_seconds_bucket{source=\"upstream\",le=\"2.0\"} 1");
        assertThat(scrape).contains("dns_reply_latency_seconds_bucket{source=\"cache\",le=\"5.0E-5\"}",
                "# HELP dns_reply_latency_seconds Time from receiving a query");
    }

    @Test
    void upstream_queriesAndLatencyPerGroupAndServer() throws Exception {
        resolver.client().udp("a.example", Type.A);
        String server = clean.udpUri();

        String scrape = admin.awaitMetric(
                "dns_upstream_latency_seconds_count{server=\"" + server + "\",upstream=\"clean\"} 1");

        assertThat(scrape.lines()).contains(
                "dns_upstream_queries_total{server=\"" + server + "\",upstream=\"clean\"} 1.0",
                "dns_upstream_failures_total{server=\"" + server + "\",upstream=\"clean\"} 0.0",
                "dns_upstream_timeouts_total{server=\"" + server + "\",upstream=\"clean\"} 0.0",
                "dns_upstream_dropped_replies_total{server=\"" + server + "\",upstream=\"clean\"} 0.0",
                "dns_upstream_queries_total{server=\"" + isp.udpUri() + "\",upstream=\"isp\"} 0.0");
    }

    @Test
    void cache_hitsAndSize() throws Exception {
        resolver.client().udp("a.example", Type.A);
        resolver.client().udp("a.example", Type.A);

        String scrape = admin.awaitMetric("cache_gets_total{cache=\"dns.cache\",result=\"hit\"} 1.0");

        assertThat(scrape.lines()).contains("cache_size{cache=\"dns.cache\"} 1.0");
        assertThat(scrape).contains("cache_evictions_total{cache=\"dns.cache\"}");
    }

    @Test
    void sets_writesElementsAndLatencyPerSet() throws Exception {
        resolver.client().udp("a.example", Type.A);

        String scrape = admin.awaitMetric("dns_set_elements_total{set=\"gfw4\"} 1.0");

        assertThat(scrape.lines()).contains("dns_set_writes_total{set=\"gfw4\"} 1.0",
                "dns_set_failed_elements_total{set=\"gfw4\"} 0.0",
                "dns_set_write_latency_seconds_count{set=\"gfw4\"} 1",
                "dns_set_deadline_missed_total 0.0", "dns_set_write_failures_total 0.0");
        // Microsecond buckets: whether writes stay within a 200 µs budget can be read off the histogram.
        assertThat(scrape).contains("dns_set_write_latency_seconds_bucket{set=\"gfw4\",le=\"1.0E-5\"}",
                "dns_set_write_latency_seconds_bucket{set=\"gfw4\",le=\"2.0E-4\"}");
    }

    @Test
    void lists_rulesPerListAndLoaded() throws Exception {
        String scrape = admin.get("/metrics").body();

        assertThat(scrape.lines()).contains("lists_rules{list=\"tunnel-list\"} 3.0",
                "lists_loaded{list=\"tunnel-list\"} 1.0");
        assertThat(scrape).contains("lists_updated_time_seconds{list=\"tunnel-list\"} 1.");
    }

    @Test
    void garbage_countedAsDroppedNotAsQuery() throws Exception {
        assertThat(resolver.client().udpRaw(new byte[] {1, 2, 3}, 300)).isNull();

        String scrape = admin.awaitMetric("dns_dropped_total 1.0");

        assertThat(scrape.lines()).contains("dns_dropped_total 1.0", "dns_malformed_total{reason=\"short\"} 1.0",
                "dns_malformed_total{reason=\"name\"} 0.0");
        assertThat(scrape).doesNotContain("dns_queries_total{");
    }

    @Test
    void everyMeter_hasADescriptionAndNoNameOrClientTag() throws Exception {
        resolver.client().udp("a.example", Type.A);
        String scrape = admin.awaitMetric("dns_set_elements_total{set=\"gfw4\"} 1.0");

        scrape.lines().filter(l -> l.startsWith("# TYPE dns_") || l.startsWith("# TYPE lists_")).forEach(type -> {
            String name = type.split(" ")[2];
            assertThat(scrape).as(name).containsPattern("# HELP " + name + " \\S+");
        });
        assertThat(scrape).doesNotContain("a.example", "127.0.0.1\"");
    }
}
