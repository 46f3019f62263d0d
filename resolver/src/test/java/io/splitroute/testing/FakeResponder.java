package io.splitroute.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Turns one query and the {@link NameRule}s of {@link FakeUpstream} into the replies to send, in order. */
final class FakeResponder {

    /** One reply to send: after {@code delayMillis}, from the main socket or the spoofing one. */
    record Outgoing(long delayMillis, byte[] wire, boolean fromOtherPort) {}

    /** Delay of the real reply after a forged one, so the forged one arrives first. */
    static final long SPOOF_GAP_MILLIS = 30;
    private static final int MAX_CNAME_HOPS = 8;
    private static final int SERVER_PAYLOAD_SIZE = 1232;

    private final Function<Name, NameRule> rules;

    FakeResponder(Function<Name, NameRule> rules) {
        this.rules = rules;
    }

    List<Outgoing> plan(Message query, FakeUpstream.Transport transport) {
        Record question = query.getQuestion();
        if (question == null) {
            Message formerr = header(query);
            formerr.getHeader().setRcode(Rcode.FORMERR);
            return List.of(new Outgoing(0, formerr.toWire(512), false));
        }
        NameRule rule = rules.apply(question.getName());
        if (rule.silent()) {
            return List.of();
        }
        List<Outgoing> out = new ArrayList<>(2);
        long delay = rule.delay().toMillis();
        if (rule.spoof() != null) {
            Message forged = forge(query, rule.spoof());
            boolean otherPort = rule.spoof() == SpoofMode.WRONG_SOURCE_PORT;
            if (!(otherPort && transport == FakeUpstream.Transport.TCP)) {
                out.add(new Outgoing(0, render(forged, query, transport), otherPort));
            }
            if (!rule.spoofThenAnswer()) {
                return out;
            }
            delay = Math.max(delay, SPOOF_GAP_MILLIS);
        }
        Message reply = answer(query, question, rule);
        if (reply.getRcode() == Rcode.NOERROR) {
            for (Record extra : rule.appended()) {
                reply.addRecord(extra, Section.ANSWER);
            }
        }
        if (rule.truncateUdp() && transport == FakeUpstream.Transport.UDP) {
            reply = truncated(query);
        }
        out.add(new Outgoing(delay, render(reply, query, transport), false));
        return out;
    }

    /** Renders for the transport: over UDP cut to the client's EDNS size (512 without EDNS), with TC when cut. */
    private static byte[] render(Message reply, Message query, FakeUpstream.Transport transport) {
        if (transport == FakeUpstream.Transport.TCP) {
            return reply.toWire(Message.MAXLENGTH);
        }
        OPTRecord opt = query.getOPT();
        return reply.toWire(opt == null ? 512 : Math.max(512, opt.getPayloadSize()));
    }

    private Message answer(Message query, Record question, NameRule first) {
        Message reply = header(query);
        int type = question.getType();
        Name current = question.getName();
        NameRule rule = first;
        for (int hop = 0; hop < MAX_CNAME_HOPS; hop++) {
            if (rule.rcode() >= 0) {
                reply.getHeader().setRcode(rule.rcode());
                if (rule.rcode() == Rcode.NXDOMAIN) {
                    reply.addRecord(soa(current, rule.negativeTtl()), Section.AUTHORITY);
                }
                return reply;
            }
            List<Record> records = rule.records(type);
            if (!records.isEmpty()) {
                records.forEach(r -> reply.addRecord(r, Section.ANSWER));
                return reply;
            }
            List<Record> cname = rule.records(Type.CNAME);
            if (cname.isEmpty() || type == Type.CNAME) {
                reply.addRecord(soa(current, rule.negativeTtl()), Section.AUTHORITY);
                return reply;
            }
            reply.addRecord(cname.getFirst(), Section.ANSWER);
            current = ((CNAMERecord) cname.getFirst()).getTarget();
            rule = rules.apply(current);
        }
        return reply;
    }

    /** A reply to {@code query}: same ID, question and opcode, QR and RA set, RD and CD copied, OPT if asked. */
    private static Message header(Message query) {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setOpcode(query.getHeader().getOpcode());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RA);
        for (int flag : new int[] {Flags.RD, Flags.CD}) {
            if (query.getHeader().getFlag(flag)) {
                reply.getHeader().setFlag(flag);
            }
        }
        if (query.getQuestion() != null) {
            reply.addRecord(query.getQuestion(), Section.QUESTION);
        }
        OPTRecord opt = query.getOPT();
        if (opt != null) {
            int dnssecOk = opt.getFlags() & ExtendedFlags.DO;
            reply.addRecord(new OPTRecord(SERVER_PAYLOAD_SIZE, 0, 0, dnssecOk), Section.ADDITIONAL);
        }
        return reply;
    }

    private static Message truncated(Message query) {
        Message reply = header(query);
        reply.getHeader().setFlag(Flags.TC);
        return reply;
    }

    private static Message forge(Message query, SpoofMode mode) {
        Record question = query.getQuestion();
        Message forged = new Message(query.getHeader().getID());
        forged.getHeader().setFlag(Flags.QR);
        forged.getHeader().setFlag(Flags.RA);
        forged.getHeader().setFlag(Flags.RD);
        Name name = question.getName();
        if (mode == SpoofMode.WRONG_ID) {
            forged.getHeader().setID((query.getHeader().getID() + 1) & 0xFFFF);
        }
        if (mode == SpoofMode.WRONG_QUESTION) {
            name = prefixed(name);
        }
        forged.addRecord(Record.newRecord(name, question.getType(), question.getDClass()), Section.QUESTION);
        forged.addRecord(new ARecord(question.getName(), DClass.IN, 86400,
                FakeUpstream.address(FakeUpstream.POISON_ADDRESS)), Section.ANSWER);
        return forged;
    }

    private static Name prefixed(Name name) {
        try {
            return Name.concatenate(Name.fromString("poison"), name);
        } catch (org.xbill.DNS.NameTooLongException e) {
            return Name.root;
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SOA of the zone that holds {@code name} (its parent), with TTL and minimum {@code negativeTtl}. */
    static SOARecord soa(Name name, long negativeTtl) {
        Name zone = name.labels() > 2 ? new Name(name, 1) : name;
        try {
            return new SOARecord(zone, DClass.IN, negativeTtl, Name.fromString("ns.fake."),
                    Name.fromString("hostmaster.fake."), 1, 3600, 600, 86400, negativeTtl);
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
