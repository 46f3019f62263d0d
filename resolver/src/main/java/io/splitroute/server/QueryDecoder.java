package io.splitroute.server;

import io.splitroute.query.WireQuery;
import java.io.IOException;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Section;

/**
 * Decides what the bytes of one client message are: a query to resolve, a query with an EDNS version
 * splitroute does not speak (BADVERS), a message that deserves FORMERR (the header is readable, the rest is
 * not) or NOTIMP (an opcode other than QUERY), or nothing to answer (not even a header, or a response).
 * It makes no reply: every reply, errors included, is rendered by {@link ReplyEncoder}.
 *
 * <p>The usual query is read by {@link WireQuery#parse(byte[])} alone. Anything else is framed by
 * {@link MessageFraming} and then parsed by dnsjava, once, here: a query that passes goes on with that parsed
 * message, so nothing later in the pipeline can fail to parse it.
 */
final class QueryDecoder {
    private static final int HEADER = 12;
    private static final int TC = 0x02;

    private QueryDecoder() {}

    /** What the bytes are. */
    enum Kind {
        /** A query to resolve. */
        QUERY,
        /** A query with an EDNS version above 0: answer BADVERS. */
        BADVERS,
        /** A readable header over a body that is not: answer FORMERR with the header's ID. */
        FORMERR,
        /** An opcode other than QUERY: answer NOTIMP. */
        NOTIMP,
        /** Not answered: shorter than a header, or a response. */
        DROP
    }

    /**
     * The decision.
     *
     * @param kind    what the bytes are
     * @param fields  the fields to answer with: the query's own, or for an error those the header gives
     *                (ID, flags; no question) when the rest does not parse; {@code null} for a drop
     * @param wire    the bytes the query is resolved from: those received, or rendered from {@code message}
     * @param message the message dnsjava parsed, when the decoder had to parse it, else {@code null}
     * @param reason  why it is malformed (FORMERR, NOTIMP, drop), else {@code null}
     */
    record Decoded(Kind kind, WireQuery fields, byte[] wire, Message message, Malformed reason) {
        static Decoded drop(Malformed reason) {
            return new Decoded(Kind.DROP, null, null, null, reason);
        }

        static Decoded formerr(byte[] wire, Malformed reason) {
            return new Decoded(Kind.FORMERR, WireQuery.headerOnly(wire), wire, null, reason);
        }
    }

    static Decoded decode(byte[] wire) {
        if (wire.length < HEADER) {
            return Decoded.drop(Malformed.SHORT);
        }
        if ((wire[2] & 0x80) != 0) {
            return Decoded.drop(Malformed.RESPONSE);
        }
        int opcode = (wire[2] >> 3) & 0x0f;
        if (opcode == Opcode.QUERY) {
            WireQuery fields = WireQuery.parse(wire);
            if (fields != null) {
                return new Decoded(fields.ednsVersion() > 0 ? Kind.BADVERS : Kind.QUERY, fields, wire, null, null);
            }
        }
        return decodeUnusual(wire, opcode);
    }

    /** Frames the whole message, then lets dnsjava read it. */
    private static Decoded decodeUnusual(byte[] wire, int opcode) {
        Malformed reason = MessageFraming.check(wire);
        Message message = null;
        if (reason == null) {
            message = parse(wire);
            reason = message == null ? Malformed.RDATA : null;
        }
        if (opcode != Opcode.QUERY) {
            if (message == null) {
                return new Decoded(Kind.NOTIMP, WireQuery.headerOnly(wire), wire, null, Malformed.OPCODE);
            }
            byte[] rendered = message.toWire();
            return new Decoded(Kind.NOTIMP, WireQuery.read(message, rendered), rendered, message, Malformed.OPCODE);
        }
        if (reason != null) {
            return Decoded.formerr(wire, reason);
        }
        if (message.getHeader().getCount(Section.QUESTION) != 1) {
            return Decoded.formerr(wire, Malformed.QUESTION_COUNT);
        }
        byte[] rendered = message.toWire();
        WireQuery fields = WireQuery.read(message, rendered);
        return new Decoded(fields.ednsVersion() > 0 ? Kind.BADVERS : Kind.QUERY, fields, rendered, message, null);
    }

    /**
     * Parses a framed message with dnsjava, or returns {@code null} when it refuses a record's data. TC is
     * cleared first: with it set, dnsjava would silently drop the records it cannot read.
     */
    private static Message parse(byte[] wire) {
        byte[] strict = wire;
        if ((wire[2] & TC) != 0) {
            strict = wire.clone();
            strict[2] &= ~TC;
        }
        try {
            return new Message(strict);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
