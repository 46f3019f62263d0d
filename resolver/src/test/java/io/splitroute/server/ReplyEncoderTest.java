package io.splitroute.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.cache.CachedReply;
import io.splitroute.cache.StaleReply;
import io.splitroute.query.Query;
import io.splitroute.query.Replies;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Transport;
import io.splitroute.testing.ManualTicker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What the encoder makes of a reply for each kind of client, on each of its paths: a reply as the upstream
 * sent it ({@code FRESH}: rendered through dnsjava), the same reply prepared by the cache ({@code CACHED}:
 * rendered from the wire template) and served stale after its upstream failed ({@code STALE}: TTL 30). The
 * rules are the same on all.
 */
class ReplyEncoderTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final int Z = 0x0040;

    private final ManualTicker ticker = new ManualTicker();
    private final ReplyEncoder encoder = new ReplyEncoder(ticker);

    /** How the reply reaches the encoder. */
    enum Path {
        FRESH, CACHED, STALE
    }

    private Resolution resolution(Path path, Message upstreamReply) {
        return switch (path) {
            case FRESH -> new Resolution(upstreamReply, Source.UPSTREAM, null, "auth", null);
            case CACHED -> Resolution.of(CachedReply.of(upstreamReply, Source.UPSTREAM, "auth", 0, 86400,
                    m -> List.of(), ticker.nanos()), Source.CACHE, null);
            case STALE -> Resolution.of(new StaleReply(CachedReply.of(upstreamReply, Source.UPSTREAM, "auth", 0, 86400,
                    m -> List.of(), ticker.nanos())), Source.CACHE, null);
        };
    }

    private static Message query(String name, int type) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        q.getHeader().setFlag(Flags.RD);
        return q;
    }

    private static Message withEdns(Message q, int payload, int flags) {
        q.addRecord(new OPTRecord(payload, 0, 0, flags), Section.ADDITIONAL);
        return q;
    }

    /** The upstream's careless answer: AA, RA, AD and Z set, its own OPT with 4096 bytes, lower-case question. */
    private static Message upstreamAnswer(Message query, int addresses, boolean signed) throws Exception {
        Name name = Name.fromString(query.getQuestion().getName().toString().toLowerCase());
        Message reply = new Message(0x7777);
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.AA);
        reply.getHeader().setFlag(Flags.RA);
        reply.getHeader().setFlag(Flags.AD);
        reply.addRecord(Record.newRecord(name, query.getQuestion().getType(), DClass.IN), Section.QUESTION);
        for (int i = 0; i < addresses; i++) {
            reply.addRecord(new ARecord(name, DClass.IN, 300, InetAddress.ofLiteral("198.51.100." + i)), Section.ANSWER);
        }
        if (signed) {
            reply.addRecord(new RRSIGRecord(name, DClass.IN, 300, Type.A, 13, 300, Instant.now().plusSeconds(3600),
                    Instant.now().minusSeconds(3600), 1, Name.fromString("example."), new byte[64]), Section.ANSWER);
        }
        reply.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO | 0x0040), Section.ADDITIONAL);
        return reply;
    }

    private static int flags(byte[] wire) {
        return ((wire[2] & 0xff) << 8) | (wire[3] & 0xff);
    }

    private byte[] encode(Message query, Transport transport, Path path, Function<Message, Message> upstream) {
        Query q = Query.of(query, CLIENT, transport);
        return encoder.encode(q, resolution(path, upstream.apply(query)));
    }

    private static Message answer(Message query) {
        try {
            return upstreamAnswer(query, 1, false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void upstreamAnswer_aaAdZClear_raSet_idRdCdAndQuestionSpellingEchoed(Path path) throws Exception {
        Message q = query("MiXed.Example.", Type.A);
        q.getHeader().setFlag(Flags.CD);
        q.getHeader().unsetFlag(Flags.RD);

        byte[] wire = encode(q, Transport.UDP, path, ReplyEncoderTest::answer);
        Message reply = new Message(wire);

        assertThat(reply.getHeader().getID()).isEqualTo(q.getHeader().getID());
        assertThat(reply.getHeader().getFlag(Flags.AA)).as("AA").isFalse();
        assertThat(reply.getHeader().getFlag(Flags.RA)).as("RA").isTrue();
        assertThat(reply.getHeader().getFlag(Flags.RD)).as("RD").isFalse();
        assertThat(reply.getHeader().getFlag(Flags.CD)).as("CD").isTrue();
        assertThat(reply.getHeader().getFlag(Flags.AD)).as("AD without DO or AD").isFalse();
        assertThat(flags(wire) & Z).as("Z").isZero();
        assertThat(reply.getQuestion().getName().toString()).isEqualTo("MiXed.Example.");
        assertThat(reply.getOPT()).as("OPT for a client without EDNS").isNull();
        assertThat(reply.getSection(Section.ANSWER)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void authenticData_keptForDoAndForAdClients(Path path) throws Exception {
        Message withDo = withEdns(query("a.example.", Type.A), 1232, ExtendedFlags.DO);
        Message withAd = query("a.example.", Type.A);
        withAd.getHeader().setFlag(Flags.AD);

        assertThat(new Message(encode(withDo, Transport.UDP, path, ReplyEncoderTest::answer)).getHeader()
                .getFlag(Flags.AD)).isTrue();
        assertThat(new Message(encode(withAd, Transport.UDP, path, ReplyEncoderTest::answer)).getHeader()
                .getFlag(Flags.AD)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void replyOpt_splitroutesOwnVersion0SizeAndDoOnly(Path path) throws Exception {
        Message q = withEdns(query("a.example.", Type.A), 4000, ExtendedFlags.DO | 0x0080);

        OPTRecord opt = new Message(encode(q, Transport.UDP, path, ReplyEncoderTest::answer)).getOPT();

        assertThat(opt).isNotNull();
        assertThat(opt.getPayloadSize()).isEqualTo(1232);
        assertThat(opt.getVersion()).isZero();
        assertThat(opt.getFlags()).isEqualTo(ExtendedFlags.DO);
        assertThat(opt.getOptions()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void signatures_onlyForDoClients(Path path) throws Exception {
        Function<Message, Message> signed = query -> {
            try {
                return upstreamAnswer(query, 1, true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Message plain = withEdns(query("a.example.", Type.A), 1232, 0);
        Message withDo = withEdns(query("a.example.", Type.A), 1232, ExtendedFlags.DO);
        Message askingForSignatures = query("a.example.", Type.RRSIG);

        assertThat(types(encode(plain, Transport.UDP, path, signed))).containsExactly(Type.A);
        assertThat(types(encode(withDo, Transport.UDP, path, signed))).containsExactly(Type.A, Type.RRSIG);
        assertThat(types(encode(askingForSignatures, Transport.UDP, path, signed))).contains(Type.RRSIG);
    }

    private static List<Integer> types(byte[] wire) throws Exception {
        Message m = new Message(wire);
        return Stream.of(Section.ANSWER, Section.AUTHORITY).flatMap(s -> m.getSection(s).stream())
                .map(Record::getType).toList();
    }

    /** 100 addresses: about 1 650 bytes, more than the UDP cap. */
    private static Message big(Message query) {
        try {
            return upstreamAnswer(query, 100, false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void udpReply_cappedAt1232WhateverTheClientAdvertises_tcSet(Path path) throws Exception {
        Message q = withEdns(query("big.example.", Type.A), 65535, 0);

        byte[] wire = encode(q, Transport.UDP, path, ReplyEncoderTest::big);

        assertThat(wire.length).isLessThanOrEqualTo(Query.MAX_UDP_REPLY);
        assertThat(new Message(wire).getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(new Message(wire).getOPT()).as("OPT kept in a truncated reply").isNotNull();
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void udpReply_withoutEdns_512_tcSet_smallerAdvertisedSizeHonoured(Path path) throws Exception {
        byte[] plain = encode(query("big.example.", Type.A), Transport.UDP, path, ReplyEncoderTest::big);
        byte[] small = encode(withEdns(query("big.example.", Type.A), 800, 0), Transport.UDP, path, ReplyEncoderTest::big);

        assertThat(plain.length).isLessThanOrEqualTo(512);
        assertThat(new Message(plain).getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(small.length).isLessThanOrEqualTo(800);
        assertThat(new Message(small).getHeader().getFlag(Flags.TC)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void tcpReply_whole(Path path) throws Exception {
        byte[] wire = encode(withEdns(query("big.example.", Type.A), 1232, 0), Transport.TCP, path, ReplyEncoderTest::big);

        assertThat(wire.length).isGreaterThan(Query.MAX_UDP_REPLY);
        assertThat(new Message(wire).getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(new Message(wire).getSection(Section.ANSWER)).hasSize(100);
    }

    @Test
    void badvers_extendedRcodeInAVersion0Opt() throws Exception {
        Message q = query("a.example.", Type.A);
        q.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
        Query query = Query.of(q, CLIENT, Transport.UDP);

        Message reply = new Message(encoder.encode(query,
                new Resolution(Replies.badVersion(q), Source.LOCAL, null, null, null)));

        assertThat(reply.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(reply.getOPT().getVersion()).isZero();
        assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(reply.getQuestion()).isEqualTo(q.getQuestion());
    }

    @Test
    void otherOpcode_aaRaAdCdClear_opcodeEchoed() throws Exception {
        Message q = query("a.example.", Type.SOA);
        q.getHeader().setOpcode(Opcode.UPDATE);
        q.getHeader().setFlag(Flags.CD);
        q.getHeader().setFlag(Flags.AD);
        Query query = Query.of(q, CLIENT, Transport.UDP);
        Message notimp = Replies.empty(q, Rcode.NOTIMP);
        notimp.getHeader().setFlag(Flags.AA);

        byte[] wire = encoder.encode(query, new Resolution(notimp, Source.LOCAL, null, null, null));

        assertThat(flags(wire) & 0x04b0).as("AA, RA, AD, CD").isZero();
        assertThat((flags(wire) >> 11) & 0xf).isEqualTo(Opcode.UPDATE);
        assertThat(flags(wire) & 0xf).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void staleAnswer_everyTtl30_onTheTemplateAndTheFilteredPath() throws Exception {
        Function<Message, Message> signed = query -> {
            try {
                return upstreamAnswer(query, 2, true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Message doQuery = withEdns(query("a.example.", Type.A), 1232, ExtendedFlags.DO);
        Message plainQuery = query("a.example.", Type.A);
        Resolution forDo = resolution(Path.STALE, signed.apply(doQuery));
        Resolution forPlain = resolution(Path.STALE, signed.apply(plainQuery));
        ticker.advance(java.time.Duration.ofHours(2)); // long expired: counted down, every TTL would read 0

        byte[] withDo = encoder.encode(Query.of(doQuery, CLIENT, Transport.UDP), forDo);
        byte[] withoutDo = encoder.encode(Query.of(plainQuery, CLIENT, Transport.UDP), forPlain);

        assertThat(new Message(withDo).getSection(Section.ANSWER)).extracting(Record::getTTL).containsOnly(30L)
                .hasSize(3);
        assertThat(new Message(withoutDo).getSection(Section.ANSWER)).extracting(Record::getTTL).containsOnly(30L)
                .hasSize(2);
    }
}
