package io.splitroute.query;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Builds reply messages that splitroute makes itself, and the header flags of every reply it sends. */
public final class Replies {
    /** The UDP payload size splitroute advertises in its own OPT records (RFC 9715's safe default). */
    public static final int ADVERTISED_PAYLOAD = 1232;

    private static final int QR = 0x8000;
    private static final int AA = 0x0400;
    private static final int TC = 0x0200;
    private static final int RD = 0x0100;
    private static final int RA = 0x0080;
    private static final int AD = 0x0020;
    private static final int CD = 0x0010;

    private Replies() {}

    /**
     * Returns the header flags (the 16 bits after the ID) of the reply to {@code query}, from those of the
     * reply as rendered: QR set; the query's opcode; TC and the low four rcode bits as rendered; RD echoed.
     * For a QUERY also: RA set (splitroute recurses for everyone it answers), CD echoed, AA kept only on an
     * answer splitroute gives as an authority, AD kept only for a client that set DO or AD (RFC 6840 5.7,
     * 5.8). For other opcodes AA, RA, AD and CD are clear: they are defined for QUERY only. Z is always clear.
     *
     * @param rendered  the flags of the reply as rendered (upstream's, cached, or made here)
     * @param query     the client's query
     * @param authority whether splitroute answers as the authority (its own local data)
     */
    public static int headerFlags(int rendered, WireQuery query, boolean authority) {
        int opcode = query.opcode();
        int flags = QR | (opcode << 11) | (rendered & TC) | (query.flags() & RD) | (rendered & 0x000f);
        if (opcode != Opcode.QUERY) {
            return flags;
        }
        flags |= RA | (query.flags() & CD);
        if (authority) {
            flags |= rendered & AA;
        }
        if ((rendered & AD) != 0 && (query.dnssecOk() || query.authenticData())) {
            flags |= AD;
        }
        return flags;
    }

    /**
     * Returns a reply with a header only (no question, no records) for a message whose body could not be read:
     * its ID, opcode and RD echoed from {@code fields} and {@code rcode} (the encoder sets the other flags).
     */
    public static Message headerOnly(WireQuery fields, int rcode) {
        Header header = new Header(fields.id());
        header.setFlag(Flags.QR);
        header.setOpcode(fields.opcode());
        if (fields.recursionDesired()) {
            header.setFlag(Flags.RD);
        }
        header.setRcode(rcode);
        Message reply = new Message();
        reply.setHeader(header);
        return reply;
    }

    /**
     * Returns a reply to {@code query} with the query's ID and question, no records, and the given rcode
     * (an extended one, such as BADVERS, goes into an OPT record; the encoder renders it for the client).
     */
    public static Message empty(Message query, int rcode) {
        Header header = new Header(query.getHeader().getID());
        header.setFlag(Flags.QR);
        header.setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        header.setRcode(rcode & 0x0f);
        Message reply = new Message();
        reply.setHeader(header);
        Record question = query.getQuestion();
        if (question != null) {
            reply.addRecord(question, Section.QUESTION);
        }
        if (query.getOPT() != null || rcode > 0x0f) {
            reply.addRecord(new OPTRecord(ADVERTISED_PAYLOAD, rcode >>> 4, 0), Section.ADDITIONAL);
        }
        return reply;
    }

    /**
     * Returns the BADVERS reply to a query with an EDNS version splitroute does not speak (RFC 6891 6.1.3):
     * the question, no records, an OPT record of version 0 carrying the extended rcode.
     */
    public static Message badVersion(Message query) {
        return empty(query, Rcode.BADVERS);
    }
}
