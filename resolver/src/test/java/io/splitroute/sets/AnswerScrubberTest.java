package io.splitroute.sets;

import static io.splitroute.sets.AnswerChainTest.cname;
import static io.splitroute.sets.AnswerChainTest.n;
import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.testing.StageQueries;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The scrubber alone, with a lambda as the upstream. */
class AnswerScrubberTest {
    private final AddressDrops drops = new AddressDrops();

    private static Record a(String owner, String address) throws Exception {
        return new ARecord(n(owner), DClass.IN, 300, InetAddress.getByName(address));
    }

    private Resolution scrub(Record... answers) {
        Query query = StageQueries.query("www.blocked.example", Type.A);
        Message reply = query.message().clone();
        reply.getHeader().setFlag(Flags.QR);
        for (Record r : answers) {
            reply.addRecord(r, Section.ANSWER);
        }
        Resolution upstream = new Resolution(reply, Source.UPSTREAM, null, "clean", null);
        return new AnswerScrubber(drops, q -> CompletableFuture.completedFuture(upstream)).resolve(query).join();
    }

    private static List<String> answer(Resolution r) {
        return r.reply().getSection(Section.ANSWER).stream().map(Record::toString).toList();
    }

    @Test
    void foreignAddressRecordAndItsSignatureRemoved_chainKept_counted() throws Exception {
        Record sig = new RRSIGRecord(n("victim.example"), DClass.IN, 300, Type.A, 13, 300,
                java.time.Instant.EPOCH.plusSeconds(1000), java.time.Instant.EPOCH, 1, n("example"), new byte[] {1});
        Resolution r = scrub(cname("www.blocked.example", "edge.cdn.test"), a("edge.cdn.test", "198.51.100.7"),
                a("victim.example", "203.0.113.66"), sig, new TXTRecord(n("victim.example"), DClass.IN, 300, "kept"));

        assertThat(r.reply().getSection(Section.ANSWER)).extracting(x -> x.getName().toString(), Record::getType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("www.blocked.example.", Type.CNAME),
                        org.assertj.core.groups.Tuple.tuple("edge.cdn.test.", Type.A),
                        org.assertj.core.groups.Tuple.tuple("victim.example.", Type.TXT));
        assertThat(r.reply().getHeader().getCount(Section.ANSWER)).isEqualTo(3);
        assertThat(r.upstream()).isEqualTo("clean");
        assertThat(drops.count(AddressDrops.Reason.OUT_OF_CHAIN)).isEqualTo(1);
    }

    @Test
    void nothingForeign_sameResolutionUncounted() throws Exception {
        Query query = StageQueries.query("www.blocked.example", Type.A);
        Resolution upstream = StageQueries.answer(query, 60, "192.0.2.1", "192.0.2.2");

        Resolution r = new AnswerScrubber(drops, q -> CompletableFuture.completedFuture(upstream)).resolve(query).join();

        assertThat(r).isSameAs(upstream);
        assertThat(drops.count(AddressDrops.Reason.OUT_OF_CHAIN)).isZero();
        assertThat(answer(scrub(a("WWW.BLOCKED.example", "192.0.2.3")))).hasSize(1);
    }
}
