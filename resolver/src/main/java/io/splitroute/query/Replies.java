package io.splitroute.query;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Builds reply messages that splitroute makes itself. */
public final class Replies {
    /** The UDP payload size splitroute advertises in its own OPT records (RFC 9715's safe default). */
    public static final int ADVERTISED_PAYLOAD = 1232;

    private Replies() {}

    /**
     * Returns a reply with a header only (no question, no records) for a message whose body could not be read:
     * its opcode and RD echoed from {@code fields}, RA set, and {@code rcode}.
     */
    public static Message headerOnly(WireQuery fields, int rcode) {
        Header header = new Header(fields.id());
        header.setFlag(Flags.QR);
        header.setOpcode(fields.opcode());
        if (fields.recursionDesired()) {
            header.setFlag(Flags.RD);
        }
        header.setFlag(Flags.RA);
        header.setRcode(rcode);
        Message reply = new Message();
        reply.setHeader(header);
        return reply;
    }

    /** Returns a reply to {@code query} with the query's ID and question, no records, and the given rcode. */
    public static Message empty(Message query, int rcode) {
        Header header = new Header(query.getHeader().getID());
        header.setFlag(Flags.QR);
        header.setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        header.setFlag(Flags.RA);
        header.setRcode(rcode);
        Message reply = new Message();
        reply.setHeader(header);
        Record question = query.getQuestion();
        if (question != null) {
            reply.addRecord(question, Section.QUESTION);
        }
        if (query.getOPT() != null) {
            reply.addRecord(new OPTRecord(ADVERTISED_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        return reply;
    }
}
