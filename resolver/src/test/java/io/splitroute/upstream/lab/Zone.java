package io.splitroute.upstream.lab;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The zone the test servers answer: names with fixed A records, and under {@code wild.test.} any name,
 * answered with an address derived from the name (so a test can check that each reply is its own query's).
 * Everything else is NXDOMAIN. Counts the queries answered.
 */
public final class Zone {

    /** Names under this suffix get {@link #wildcardAddress}. */
    public static final String WILD = "wild.test.";

    private final Map<Name, InetAddress> records = new ConcurrentHashMap<>();
    private final AtomicInteger answered = new AtomicInteger();

    /** Adds {@code name A address}. */
    public Zone a(String name, String address) {
        records.put(name(name), InetAddress.ofLiteral(address));
        return this;
    }

    /** The address a name under {@link #WILD} is answered with: 10.(hash) spread over 16 million addresses. */
    public static String wildcardAddress(String name) {
        int h = name(name).toString().toLowerCase().hashCode() & 0xFFFFFF;
        return "10." + (h >> 16) + "." + ((h >> 8) & 0xFF) + "." + (h & 0xFF);
    }

    /** Queries answered so far. */
    public int answered() {
        return answered.get();
    }

    /** The reply to {@code query}: same ID and question, AA set, the A record or NXDOMAIN. */
    public Message answer(Message query) {
        answered.incrementAndGet();
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            reply.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (question == null) {
            reply.getHeader().setRcode(Rcode.FORMERR);
            return reply;
        }
        reply.addRecord(question, Section.QUESTION);
        Name qname = question.getName();
        InetAddress address = records.get(qname);
        if (address == null && qname.subdomain(name(WILD)) && !qname.equals(name(WILD))) {
            address = InetAddress.ofLiteral(wildcardAddress(qname.toString()));
        }
        if (address == null) {
            reply.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (question.getType() == Type.A) {
            reply.addRecord(new ARecord(qname, DClass.IN, 60, address), Section.ANSWER);
        }
        return reply;
    }

    private static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
