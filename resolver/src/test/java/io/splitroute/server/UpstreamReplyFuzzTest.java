package io.splitroute.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.splitroute.cache.CachedReply;
import io.splitroute.cache.StaleReply;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Transport;
import io.splitroute.sets.AddressDrops;
import io.splitroute.sets.AnswerAddresses;
import io.splitroute.sets.AnswerScrubber;
import io.splitroute.testing.ManualTicker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Fuzz target for what an upstream (or an on-path attacker) can send back: the reply is parsed as the
 * upstream client parses it (dnsjava), scrubbed of the address records its question did not earn
 * ({@link AnswerScrubber}), the answer's addresses extracted as the set stage needs them, prepared for the
 * cache, and rendered for clients of every kind (UDP without EDNS, UDP with a 65535-byte buffer, with and
 * without DO, TCP), fresh, from the cache an hour later and served stale. Nothing may throw, and every
 * rendering is a message dnsjava parses, within the client's size, with the client's ID and question, AA
 * and Z clear, RA set, an OPT exactly when the client sent one, no DNSSEC records for a client without DO,
 * and TTLs counted down (every one 30 when stale).
 *
 * <p>Seed corpus: {@code UpstreamReplyFuzzTestInputs/replies/} (replies of knot and the conformance suite's
 * authority, plain, negative, signed, truncated, big). To fuzz for real: {@code JAZZER_FUZZ=1 ./mvnw -pl
 * resolver -am test -Dtest=UpstreamReplyFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class UpstreamReplyFuzzTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    private final ManualTicker ticker = new ManualTicker();
    private final ReplyEncoder encoder = new ReplyEncoder(ticker);

    @FuzzTest(maxDuration = "10m")
    void replies(byte[] received) throws IOException {
        Message reply;
        try {
            reply = new Message(received);
        } catch (IOException | RuntimeException garbage) {
            return; // the upstream client drops it and waits for a real reply
        }
        Record question = reply.getQuestion();
        if (question == null || !reply.getHeader().getFlag(Flags.QR) || reply.getHeader().getOpcode() != Opcode.QUERY) {
            return; // no query is answered by it: dropped as forged (upstream.UpstreamQuery.accepts)
        }
        Message upstream = reply;
        reply = new AnswerScrubber(new AddressDrops(), q -> CompletableFuture.completedFuture(
                        new Resolution(upstream, Source.UPSTREAM, null, "fuzz", null)))
                .resolve(Query.of(Message.newQuery(question), CLIENT, Transport.UDP)).join().reply();
        AnswerAddresses.all(reply);
        CachedReply cached = CachedReply.of(reply, Source.UPSTREAM, "fuzz", 0, 86400, AnswerAddresses::all,
                ticker.nanos());
        for (Query query : clients(question)) {
            check(query, encoder.encode(query, new Resolution(reply, Source.UPSTREAM, null, "fuzz", null)), reply);
            check(query, encoder.encode(query, Resolution.of(cached, Source.UPSTREAM, null)), reply);
        }
        ticker.advance(Duration.ofHours(1));
        for (Query query : clients(question)) {
            check(query, encoder.encode(query, Resolution.of(cached, Source.CACHE, null)), reply);
            byte[] stale = encoder.encode(query, Resolution.of(new StaleReply(cached), Source.CACHE, null));
            check(query, stale, null);
        }
    }

    private static List<Query> clients(Record question) {
        Message plain = Message.newQuery(question);
        Message huge = Message.newQuery(question);
        huge.addRecord(new OPTRecord(65535, 0, 0), Section.ADDITIONAL);
        Message dnssec = Message.newQuery(question);
        dnssec.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        return List.of(Query.of(plain, CLIENT, Transport.UDP), Query.of(huge, CLIENT, Transport.UDP),
                Query.of(dnssec, CLIENT, Transport.UDP), Query.of(dnssec, CLIENT, Transport.TCP));
    }

    /** Checks one rendering; {@code upstream} is null for a stale one (every TTL 30). */
    private static void check(Query query, byte[] bytes, Message upstream) throws IOException {
        assertThat(bytes.length).isLessThanOrEqualTo(query.maxReplySize());
        Message out = new Message(bytes);
        int flags = ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        assertThat(out.getHeader().getID()).isEqualTo(query.fields().id());
        assertThat(flags & 0x0440).as("AA and Z").isZero();
        assertThat(out.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(out.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(out.getOPT() != null).as("OPT").isEqualTo(query.fields().edns());
        if (out.getHeader().getCount(Section.QUESTION) > 0) {
            assertThat(out.getQuestion()).isEqualTo(query.question());
        }
        long highest = upstream == null ? StaleReply.TTL : Stream.of(Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL)
                .flatMap(s -> upstream.getSection(s).stream()).mapToLong(Record::getTTL).max().orElse(0);
        Stream.of(Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL).flatMap(s -> out.getSection(s).stream())
                .filter(r -> r.getType() != Type.OPT)
                .forEach(r -> {
                    assertThat(r.getTTL()).as("TTL of %s", r).isLessThanOrEqualTo(highest);
                    if (upstream == null) {
                        assertThat(r.getTTL()).as("stale TTL of %s", r).isEqualTo(StaleReply.TTL);
                    }
                    if (!query.dnssecOk() && r.getType() != query.qtype()) {
                        assertThat(r.getType()).as("DNSSEC record to a client without DO")
                                .isNotIn(Type.RRSIG, Type.NSEC, Type.NSEC3);
                    }
                });
    }
}
