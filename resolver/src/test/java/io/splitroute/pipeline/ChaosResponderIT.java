package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** {@code dig NAME TXT CH} explains the route; version.bind answers; nothing CHAOS goes upstream. */
class ChaosResponderIT {
    private FakeUpstream upstream;
    private RunningResolver resolver;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { isp: ["%1$s"], clean: ["%1$s"] }
                routes:
                  - { name: tunnel, domains: [google.com], upstream: clean }
                default-upstream: isp
                """.formatted(upstream.udpUri()));
    }

    @AfterEach
    void stop() {
        resolver.close();
        upstream.close();
    }

    private List<String> chaosTxt(String name) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.TXT, DClass.CH));
        Message reply = resolver.client().udp(q);
        assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
        return ((TXTRecord) reply.getSection(Section.ANSWER).getFirst()).getStrings();
    }

    @Test
    void explain_listedNameShowsRouteRuleAndUpstream() throws Exception {
        List<String> txt = chaosTxt("www.google.com.");

        assertThat(txt.getFirst()).isEqualTo("route=tunnel");
        assertThat(txt).contains("rule=google.com", "match=suffix:google.com", "upstream=clean",
                "list=routes.tunnel.domains", "source=test.yaml:4");
        assertThat(upstream.queryCount()).isZero();
    }

    @Test
    void explain_unlistedNameShowsDefault() throws Exception {
        assertThat(chaosTxt("example.net.")).startsWith("route=default", "upstream=isp");
    }

    @Test
    void versionBind_answersVersion() throws Exception {
        assertThat(chaosTxt("version.bind.")).singleElement().asString().startsWith("splitroute ");
        assertThat(upstream.queryCount()).isZero();
    }

    @Test
    void inClass_queriesStillForwarded() throws Exception {
        upstream.answer("www.google.com.", Type.A, 60, "192.0.2.1");
        assertThat(DnsClient.firstAddress(resolver.client().udp(DnsClient.query("www.google.com", Type.A, 0))))
                .isEqualTo("192.0.2.1");
    }
}
