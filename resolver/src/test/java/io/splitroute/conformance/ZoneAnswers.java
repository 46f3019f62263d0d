package io.splitroute.conformance;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Locale;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The zone {@link AuthoritativeUpstream} serves, driven by the first label of the question name, so each
 * test picks the behaviour it needs with a fresh name:
 * <ul>
 *   <li>{@code nx*}: NXDOMAIN with the zone's SOA; {@code fail*}: SERVFAIL;</li>
 *   <li>otherwise A {@value #ADDRESS}, AAAA {@value #ADDRESS6}, any other type NODATA with the SOA;</li>
 *   <li>a label containing {@code secure}: AD set on every reply, as a validating upstream that ignores
 *       whether the asker wanted it;</li>
 *   <li>{@code signed}: an RRSIG beside the answer (NSEC beside the SOA) when the query has DO;
 *       {@code leaky}: the same even without DO;</li>
 *   <li>{@code big*} with type A: {@value #BIG_ANSWER} addresses, over 1 600 bytes;</li>
 *   <li>a label containing {@code stale}: its A, AAAA or {@code big} answer has TTL 1, so it expires at once.</li>
 * </ul>
 * Every reply sets AA (an authority) and RA, copies ID, opcode, question and RD (not CD, like knot); to a
 * query with an OPT record it answers with an OPT of its own: payload 4096, DO copied, an undefined flag bit
 * (0x0040) set, and every option of the query echoed.
 */
final class ZoneAnswers {
    static final String ZONE = "conf.test.";
    static final String ADDRESS = "192.0.2.1";
    static final String ADDRESS6 = "2001:db8::1";
    static final int UPSTREAM_PAYLOAD = 4096;
    static final int UNDEFINED_EDNS_FLAG = 0x0040;
    static final int BIG_ANSWER = 100;
    private static final long TTL = 300;

    private ZoneAnswers() {}

    static Message reply(Message query) {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setOpcode(query.getHeader().getOpcode());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.AA);
        reply.getHeader().setFlag(Flags.RA);
        copyFlag(query, reply, Flags.RD); // CD is not copied, as knot does not: echoing it is splitroute's job
        Record question = query.getQuestion();
        OPTRecord opt = query.getOPT();
        boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        if (opt != null) {
            reply.addRecord(new OPTRecord(UPSTREAM_PAYLOAD, 0, 0,
                    (opt.getFlags() & ExtendedFlags.DO) | UNDEFINED_EDNS_FLAG, opt.getOptions()), Section.ADDITIONAL);
        }
        if (question == null) {
            reply.getHeader().setRcode(Rcode.FORMERR);
            return reply;
        }
        reply.addRecord(question, Section.QUESTION);
        String label = question.getName().getLabelString(0).toLowerCase(Locale.ROOT);
        if (label.contains("secure")) {
            reply.getHeader().setFlag(Flags.AD);
        }
        boolean sign = label.contains("leaky") || (label.contains("signed") && dnssecOk);
        long ttl = label.contains("stale") ? 1 : TTL;
        if (label.startsWith("fail")) {
            reply.getHeader().setRcode(Rcode.SERVFAIL);
        } else if (label.startsWith("nx")) {
            reply.getHeader().setRcode(Rcode.NXDOMAIN);
            negative(reply, question.getName(), sign);
        } else if (label.startsWith("big") && question.getType() == Type.A) {
            for (int i = 0; i < BIG_ANSWER; i++) {
                reply.addRecord(new ARecord(question.getName(), DClass.IN, ttl, address("198.51.100." + i)), Section.ANSWER);
            }
        } else if (question.getType() == Type.A || question.getType() == Type.AAAA) {
            Record data = question.getType() == Type.A
                    ? new ARecord(question.getName(), DClass.IN, ttl, address(ADDRESS))
                    : new AAAARecord(question.getName(), DClass.IN, ttl, address(ADDRESS6));
            reply.addRecord(data, Section.ANSWER);
            if (sign) {
                reply.addRecord(rrsig(question.getName(), question.getType()), Section.ANSWER);
            }
        } else {
            negative(reply, question.getName(), sign);
        }
        return reply;
    }

    private static void negative(Message reply, Name name, boolean sign) {
        Name zone = Wire.name(ZONE);
        reply.addRecord(new SOARecord(zone, DClass.IN, TTL, Wire.name("ns." + ZONE), Wire.name("hostmaster." + ZONE),
                1, 3600, 600, 86400, TTL), Section.AUTHORITY);
        if (sign) {
            reply.addRecord(rrsig(zone, Type.SOA), Section.AUTHORITY);
            reply.addRecord(new NSECRecord(name, DClass.IN, TTL, Wire.name("\\000." + name),
                    new int[] {Type.RRSIG, Type.NSEC}), Section.AUTHORITY);
        }
    }

    private static RRSIGRecord rrsig(Name owner, int covered) {
        Instant now = Instant.now();
        return new RRSIGRecord(owner, DClass.IN, TTL, covered, 13, TTL, now.plusSeconds(86_400),
                now.minusSeconds(3600), 12345, Wire.name(ZONE), new byte[64]);
    }

    private static void copyFlag(Message from, Message to, int flag) {
        if (from.getHeader().getFlag(flag)) {
            to.getHeader().setFlag(flag);
        }
    }

    private static InetAddress address(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
