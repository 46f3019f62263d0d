package io.splitroute.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.splitroute.cache.CachedReply;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Ticker;
import io.splitroute.query.Transport;
import io.splitroute.sets.AnswerAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Fuzz target for the whole way in and out of a client message: the decoder (wire check, framing, dnsjava's
 * parse) and the dispatcher, a stage standing in for cache and upstream (it parses the query as the
 * forwarder does and answers it, every second time through a prepared cache entry), and the encoder. Any
 * bytes: no exception escapes, a message shorter than a header or with QR set gets no reply, every other
 * one exactly one that dnsjava parses, with the query's ID and opcode, QR set, AA and Z clear, RA set for a
 * QUERY (NOTIMP with RA clear otherwise), within the UDP cap; and a query that passes the decoder is never
 * answered SERVFAIL (which would mean it failed inside the pipeline).
 *
 * <p>Seed corpus: {@code QueryDecoderFuzzTestInputs/messages/} (queries dig and genreport sent, and the
 * malformed kinds of the conformance suite). To fuzz for real: {@code JAZZER_FUZZ=1 ./mvnw -pl resolver -am
 * test -Dtest=QueryDecoderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class QueryDecoderFuzzTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final InetAddress ADDRESS = InetAddress.ofLiteral("192.0.2.1");

    private int resolved;
    private final QueryDispatcher dispatcher = new QueryDispatcher(this::answer, new ReplyEncoder(Ticker.SYSTEM));

    /** The fake upstream: the query as dnsjava parsed it, answered with one address for A. */
    private CompletableFuture<Resolution> answer(Query query) {
        Message message = query.message();
        Message reply = new Message(message.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.AA);
        reply.addRecord(message.getQuestion(), Section.QUESTION);
        if (query.qtype() == Type.A) {
            reply.addRecord(new ARecord(message.getQuestion().getName(), DClass.IN, 60, ADDRESS), Section.ANSWER);
        }
        if (resolved++ % 2 == 0) {
            return CompletableFuture.completedFuture(new Resolution(reply, Source.UPSTREAM, null, "fuzz", null));
        }
        CachedReply cached = CachedReply.of(reply, Source.UPSTREAM, "fuzz", 0, 3600, AnswerAddresses::all,
                Ticker.SYSTEM.nanos());
        return CompletableFuture.completedFuture(Resolution.of(cached, Source.CACHE, null));
    }

    @FuzzTest(maxDuration = "10m")
    void messages(byte[] wire) throws IOException {
        for (Transport transport : Transport.values()) {
            List<byte[]> replies = new ArrayList<>();
            boolean answered = dispatcher.dispatch(wire, CLIENT, transport, replies::add);

            boolean dropped = wire.length < 12 || (wire[2] & 0x80) != 0;
            assertThat(answered).as("answered").isEqualTo(!dropped);
            assertThat(replies).hasSize(dropped ? 0 : 1);
            if (!dropped) {
                checkReply(wire, replies.getFirst(), transport);
            }
        }
        assertThat(dispatcher.inFlight()).isZero();
    }

    private static void checkReply(byte[] query, byte[] bytes, Transport transport) throws IOException {
        Message reply = new Message(bytes);
        int flags = ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        int opcode = (query[2] >> 3) & 0x0f;
        assertThat(bytes.length).isLessThanOrEqualTo(transport == Transport.UDP ? Query.MAX_UDP_REPLY : 65535);
        assertThat(reply.getHeader().getID()).isEqualTo(((query[0] & 0xff) << 8) | (query[1] & 0xff));
        assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(reply.getHeader().getOpcode()).isEqualTo(opcode);
        assertThat(flags & 0x0440).as("AA and Z").isZero();
        if (opcode != Opcode.QUERY) {
            assertThat(reply.getRcode()).isEqualTo(Rcode.NOTIMP);
            assertThat(flags & 0x00b0).as("RA, AD, CD").isZero();
            return;
        }
        assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(reply.getRcode()).as("rcode of\n%s", reply).isIn(Rcode.NOERROR, Rcode.FORMERR, Rcode.BADVERS);
        if (reply.getRcode() == Rcode.BADVERS) {
            assertThat(reply.getOPT().getVersion()).isZero();
        }
    }
}
