package io.splitroute.server;

import io.splitroute.query.WireQuery;
import java.io.IOException;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;

/**
 * Decides what the bytes of one client message are: a query to resolve, a message that deserves FORMERR (the
 * header is readable, the rest is not) or NOTIMP (an opcode other than QUERY), or nothing to answer (not even
 * a header, or itself a response). It makes no reply: every reply, errors included, is rendered by
 * {@link ReplyEncoder}.
 */
final class QueryDecoder {
    private static final int HEADER = 12;

    private QueryDecoder() {}

    /** What the bytes are. */
    enum Kind {
        /** A well-framed query with one question. */
        QUERY,
        /** A readable header over a body that is not: answer FORMERR with the header's ID. */
        FORMERR,
        /** A well-formed message with an opcode other than QUERY: answer NOTIMP. */
        NOTIMP,
        /** Not answered: shorter than a header, or a response. */
        DROP
    }

    /**
     * The decision.
     *
     * @param kind       what the bytes are
     * @param fields     the fields to answer with: the query's own, or for an error those the header gives
     *                   (ID, flags; no question); {@code null} for a drop
     * @param message    the parsed message of a NOTIMP (its question is echoed), else {@code null}
     * @param dropReason why a message is dropped, else {@code null}
     */
    record Decoded(Kind kind, WireQuery fields, Message message, String dropReason) {
        static Decoded drop(String reason) {
            return new Decoded(Kind.DROP, null, null, reason);
        }
    }

    static Decoded decode(byte[] wire) {
        if (wire.length < HEADER) {
            return Decoded.drop("shorter than a DNS header (" + wire.length + " bytes)");
        }
        boolean isResponse = (wire[2] & 0x80) != 0;
        int opcode = (wire[2] >> 3) & 0x0f;
        if (isResponse) {
            return Decoded.drop("a response, not a query");
        }
        WireQuery fields = WireQuery.parse(wire);
        if (fields != null && opcode == Opcode.QUERY) {
            return new Decoded(Kind.QUERY, fields, null, null);
        }
        Message message;
        try {
            message = new Message(wire);
        } catch (IOException | RuntimeException e) {
            return new Decoded(Kind.FORMERR, headerOnly(wire), null, null);
        }
        if (opcode != Opcode.QUERY) {
            return new Decoded(Kind.NOTIMP, fields != null ? fields : headerOnly(wire), message, null);
        }
        return new Decoded(Kind.FORMERR, headerOnly(wire), null, null);
    }

    /** The fields a header alone gives: ID and flags, no question, no EDNS. */
    private static WireQuery headerOnly(byte[] wire) {
        int id = ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
        int flags = ((wire[2] & 0xff) << 8) | (wire[3] & 0xff);
        return new WireQuery(id, flags, "", 0, 0, HEADER, false, 0, false);
    }
}
