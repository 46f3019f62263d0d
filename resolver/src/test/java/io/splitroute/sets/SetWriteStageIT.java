package io.splitroute.sets;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.sink.AddressFamily;
import io.splitroute.sink.IpsetTarget;
import io.splitroute.sink.NftSetTarget;
import io.splitroute.sink.RecordingSetWriter;
import io.splitroute.sink.SetError;
import io.splitroute.testing.FakeUpstream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.HTTPSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** What reaches the sets, through the whole server, with a recording writer (the kernel tests are in *IT). */
class SetWriteStageIT {
    private static final IpsetTarget V4 = new IpsetTarget("gfwlist", AddressFamily.INET);
    private static final NftSetTarget V6 = new NftSetTarget("inet", "fw4", "gfwlist6", AddressFamily.INET6);

    private FakeUpstream upstream;
    private RecordingSetWriter sets;
    private RunningResolver resolver;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start()
                .answer("www.blocked.example.", Type.A, 120, "192.0.2.1", "192.0.2.2")
                .answer("www.blocked.example.", Type.AAAA, 120, "2001:db8::1")
                .cname("cdn.blocked.example.", 60, "edge.cdn.test.")
                .answer("edge.cdn.test.", Type.A, 30, "198.51.100.7")
                .answer("v6.blocked.example.", Type.AAAA, 600, "2001:db8::6")
                .answer("v6.blocked.example.", Type.A, 600, "192.0.2.6")
                .answer("other.test.", Type.A, 300, "203.0.113.1");
        sets = new RecordingSetWriter();
    }

    private void resolver(String aaaa, String onError) throws Exception {
        resolver = RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { isp: ["%s"] }
                sets:
                  gfw4: { type: ipset, name: gfwlist, family: inet, on-error: %s }
                  gfw6: { type: nftset, table: "inet fw4", name: gfwlist6, family: inet6 }
                routes:
                  - { name: tunnel, domains: [blocked.example], upstream: isp, sets: [gfw4, gfw6], aaaa: %s }
                set-timeout: { min: 300, max: 86400, grace: 60 }
                """.formatted(upstream.udpUri(), onError, aaaa), sets);
    }

    @AfterEach
    void stop() {
        if (resolver != null) {
            resolver.close();
        }
        upstream.close();
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void answer_everyAddressWrittenWithTtlPlusGraceClampedToMin() throws Exception {
        resolver("drop", "answer");
        resolver.client().udp("www.blocked.example", Type.A);

        assertThat(sets.contents(V4)).containsOnlyKeys(ip("192.0.2.1"), ip("192.0.2.2"));
        assertThat(sets.contents(V4).get(ip("192.0.2.1"))).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void answer_longTtlGivesLongerTimeout() throws Exception {
        resolver("set", "answer");
        resolver.client().udp("v6.blocked.example", Type.A);

        assertThat(sets.contents(V4).get(ip("192.0.2.6"))).isEqualTo(Duration.ofSeconds(660));
    }

    @Test
    void cnameChain_targetAddressesWrittenThoughTargetIsUnlisted() throws Exception {
        resolver("drop", "answer");
        Message reply = resolver.client().udp("cdn.blocked.example", Type.A);

        assertThat(DnsClient.firstAddress(reply)).isEqualTo("198.51.100.7");
        assertThat(sets.contents(V4)).containsOnlyKeys(ip("198.51.100.7"));
    }

    @Test
    void cacheHit_writesAgain() throws Exception {
        resolver("drop", "answer");
        resolver.client().udp("www.blocked.example", Type.A);
        sets.clear();
        resolver.client().udp("www.blocked.example", Type.A);

        assertThat(upstream.queryCount("www.blocked.example", Type.A)).isEqualTo(1);
        assertThat(sets.contents(V4)).containsOnlyKeys(ip("192.0.2.1"), ip("192.0.2.2"));
    }

    @Test
    void unlistedName_writesNothing() throws Exception {
        resolver("drop", "answer");
        resolver.client().udp("other.test", Type.A);

        assertThat(sets.history()).isEmpty();
    }

    @Test
    void aaaaDrop_nodataWithoutAskingUpstream() throws Exception {
        resolver("drop", "answer");
        Message reply = resolver.client().udp("www.blocked.example", Type.AAAA);

        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.getSection(Section.ANSWER)).isEmpty();
        assertThat(upstream.queryCount("www.blocked.example", Type.AAAA)).isZero();
        assertThat(sets.contents(V6)).isEmpty();
    }

    @Test
    void aaaaDrop_repeatedQueryServedFromTheCacheWithItsOwnIdAndSpelling() throws Exception {
        resolver("drop", "answer");
        List<io.splitroute.query.Source> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
        resolver.lifecycle().dispatcher().onCompleted((query, resolution, bytes, nanos) -> sources.add(resolution.source()));
        resolver.client().udp("www.blocked.example", Type.AAAA);

        Message query = DnsClient.query("WWW.Blocked.Example", Type.AAAA, 1232);
        Message again = resolver.client().udp(query);

        assertThat(sources).containsExactly(io.splitroute.query.Source.LOCAL, io.splitroute.query.Source.CACHE);
        assertThat(again.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(again.getQuestion().getName().toString()).isEqualTo("WWW.Blocked.Example.");
        assertThat(again.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(again.getSection(Section.ANSWER)).isEmpty();
        assertThat(again.getOPT()).isNotNull();
        assertThat(upstream.queryCount("www.blocked.example", Type.AAAA)).isZero();
    }

    @Test
    void aaaaPass_answeredButNotWritten() throws Exception {
        resolver("pass", "answer");
        Message reply = resolver.client().udp("www.blocked.example", Type.AAAA);

        assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
        assertThat(sets.contents(V6)).isEmpty();
    }

    @Test
    void aaaaSet_writtenToInet6SetOnly() throws Exception {
        resolver("set", "answer");
        resolver.client().udp("v6.blocked.example", Type.AAAA);

        assertThat(sets.contents(V6)).containsOnlyKeys(ip("2001:db8::6"));
        assertThat(sets.contents(V4)).isEmpty();
    }

    @Test
    void httpsHints_v4WrittenAndV6RemovedUnderDrop() throws Exception {
        List<SVCBBase.ParameterBase> params = List.of(
                new SVCBBase.ParameterIpv4Hint(List.of((java.net.Inet4Address) ip("192.0.2.44"))),
                new SVCBBase.ParameterIpv6Hint(List.of((java.net.Inet6Address) ip("2001:db8::44"))));
        upstream.answer(new HTTPSRecord(Name.fromString("h.blocked.example."), DClass.IN, 300, 1, Name.root, params));
        resolver("drop", "answer");

        Message reply = resolver.client().udp("h.blocked.example", Type.HTTPS);

        HTTPSRecord https = (HTTPSRecord) reply.getSection(Section.ANSWER).getFirst();
        assertThat(https.getSvcParamKeys()).contains(SVCBBase.IPV4HINT).doesNotContain(SVCBBase.IPV6HINT);
        assertThat(sets.contents(V4)).containsOnlyKeys(ip("192.0.2.44"));
    }

    @Test
    void failedWrite_answeredAndCountedByDefault() throws Exception {
        resolver("drop", "answer");
        sets.fail(V4, SetError.Kind.MISSING_SET, "ipset gfwlist does not exist");
        Message reply = resolver.client().udp("www.blocked.example", Type.A);

        assertThat(DnsClient.firstAddress(reply)).isNotNull();
        assertThat(resolver.lifecycle().resolver().setWrites().failedWrites()).isEqualTo(1);
    }

    @Test
    void failedWrite_servfailWhenTheSetSaysSo() throws Exception {
        resolver("drop", "servfail");
        sets.fail(V4, SetError.Kind.SET_FULL, "set is full");
        Message reply = resolver.client().udp("www.blocked.example", Type.A);

        assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void missingSetAtStart_stopsStartupWithTheWritersMessage() {
        sets.fail(V4, SetError.Kind.MISSING_SET,
                "ipset gfwlist does not exist in this network namespace; create it with: ipset create gfwlist hash:ip timeout 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> resolver("drop", "answer"))
                .isInstanceOf(io.splitroute.app.StartupException.class)
                .hasMessageContaining("set gfw4 (test.yaml:4): ipset gfwlist does not exist in this network namespace; "
                        + "create it with: ipset create gfwlist hash:ip timeout 0");
    }
}
