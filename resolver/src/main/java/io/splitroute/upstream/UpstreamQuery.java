package io.splitroute.upstream;

import java.security.SecureRandom;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * One query as it goes to one server: a copy of the client's query under a fresh random ID, and the test a
 * reply must pass to be accepted (same ID, same question). Together with a fresh source port per query
 * this is the defence against off-path cache poisoning (RFC 5452).
 *
 * @param message  the message to send
 * @param id       its ID, drawn from {@link SecureRandom}
 * @param question the question a reply must repeat
 */
record UpstreamQuery(Message message, int id, Record question) {

    /**
     * Upstream EDNS payload cap: the DNS Flag Day 2020 size, so that replies are never fragmented (fragments
     * are a spoofing vector); bigger answers arrive with TC=1 and are fetched over TCP.
     */
    static final int MAX_UDP_PAYLOAD = 1232;

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Copies {@code client} under a new random ID. The question, the header flags (RD as the client sent
     * it, CD) and the EDNS version, payload size (capped at {@link #MAX_UDP_PAYLOAD}) and DO bit are kept;
     * EDNS options are not forwarded (cookies and client-subnet belong to the client's hop, not this one).
     *
     * @throws IllegalArgumentException if {@code client} has no question
     */
    static UpstreamQuery of(Message client) {
        return of(client, RANDOM.nextInt(0x10000));
    }

    /**
     * Copies {@code client} under {@code id}, as {@link #of(Message)} does; DNS over HTTPS sends ID 0
     * (RFC 8484: the HTTP exchange, not the ID, pairs a reply with its query).
     */
    static UpstreamQuery of(Message client, int id) {
        Record question = client.getQuestion();
        if (question == null) {
            throw new IllegalArgumentException("query " + client.getHeader().getID() + " has no question");
        }
        Message copy = client.clone();
        copy.getHeader().setID(id);
        copy.getHeader().unsetFlag(Flags.QR);
        OPTRecord opt = client.getOPT();
        if (opt != null) {
            copy.removeRecord(opt, Section.ADDITIONAL);
            copy.addRecord(new OPTRecord(Math.min(opt.getPayloadSize(), MAX_UDP_PAYLOAD), opt.getExtendedRcode(),
                    opt.getVersion(), opt.getFlags()), Section.ADDITIONAL);
        }
        return new UpstreamQuery(copy, id, question);
    }

    /** The query in wire form. */
    byte[] wire() {
        return message.toWire();
    }

    /**
     * Whether {@code reply} answers this query: QR set, same ID, same opcode (dnsjava reads the records of
     * an UPDATE message by other rules, e.g. an A record without data), and the same question (name compared
     * case-insensitively, type and class).
     */
    boolean accepts(Message reply) {
        Record q = reply.getQuestion();
        return reply.getHeader().getFlag(Flags.QR)
                && reply.getHeader().getID() == id
                && reply.getHeader().getOpcode() == message.getHeader().getOpcode()
                && q != null
                && q.getType() == question.getType()
                && q.getDClass() == question.getDClass()
                && q.getName().equals(question.getName());
    }
}
