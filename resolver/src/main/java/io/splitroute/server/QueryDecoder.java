package io.splitroute.server;

import io.splitroute.query.Replies;
import io.splitroute.query.WireQuery;
import java.io.IOException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;

/**
 * Turns the bytes of one client message into a query, or into the reply that a bad message deserves:
 * FORMERR when the header is readable, NOTIMP for opcodes other than QUERY, nothing (drop) when not even
 * the header can be read or the message is itself a response.
 */
final class QueryDecoder {
    private static final int HEADER = 12;

    private QueryDecoder() {}

    /** What became of the bytes: exactly one of {@code query} and {@code reply} is set, or neither (drop). */
    record Decoded(WireQuery query, byte[] reply, String dropReason) {
        static Decoded drop(String reason) {
            return new Decoded(null, null, reason);
        }
    }

    static Decoded decode(byte[] wire) {
        if (wire.length < HEADER) {
            return Decoded.drop("shorter than a DNS header (" + wire.length + " bytes)");
        }
        int id = ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
        boolean isResponse = (wire[2] & 0x80) != 0;
        int opcode = (wire[2] >> 3) & 0x0f;
        if (isResponse) {
            return Decoded.drop("a response, not a query");
        }
        WireQuery fields = WireQuery.parse(wire);
        if (fields != null && opcode == Opcode.QUERY) {
            return new Decoded(fields, null, null);
        }
        Message message;
        try {
            message = new Message(wire);
        } catch (IOException | RuntimeException e) {
            return new Decoded(null, headerOnly(id, opcode, Rcode.FORMERR, wire), null);
        }
        if (opcode != Opcode.QUERY) {
            return new Decoded(null, Replies.empty(message, Rcode.NOTIMP).toWire(512), null);
        }
        return new Decoded(null, headerOnly(id, opcode, Rcode.FORMERR, wire), null);
    }

    private static byte[] headerOnly(int id, int opcode, int rcode, byte[] wire) {
        org.xbill.DNS.Header header = new org.xbill.DNS.Header(id);
        header.setFlag(Flags.QR);
        header.setOpcode(opcode);
        if ((wire[2] & 0x01) != 0) {
            header.setFlag(Flags.RD);
        }
        header.setFlag(Flags.RA);
        header.setRcode(rcode);
        Message reply = new Message();
        reply.setHeader(header);
        return reply.toWire();
    }
}
