package io.splitroute.sets;

import io.splitroute.query.AnswerAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Section;

/**
 * The addresses an answer earned for its question: the A and AAAA records of the answer section owned by a
 * name of the question's CNAME chain ({@link AnswerChain}: the question name, and a CDN target it leads to
 * whatever that target is called), and the ipv4hint / ipv6hint of the HTTPS and SVCB records owned by such
 * a name, each with its TTL. A record owned by any other name is ignored (the scrubber below the cache has
 * removed it already).
 */
public final class AnswerAddresses {
    private AnswerAddresses() {}

    /** Returns every address {@code reply} earned, IPv6 included (what the cache keeps per entry). */
    public static List<AnswerAddress> all(Message reply) {
        return of(reply, true);
    }

    /** Returns the addresses {@code reply} earned; IPv6 ones only when {@code withIpv6}. */
    public static List<AnswerAddress> of(Message reply, boolean withIpv6) {
        List<Record> answer = reply.getSection(Section.ANSWER);
        if (answer.isEmpty()) {
            return List.of();
        }
        AnswerChain chain = AnswerChain.of(reply);
        List<AnswerAddress> out = new ArrayList<>();
        for (Record r : answer) {
            if (!carriesAddresses(r) || !chain.owns(r.getName())) {
                continue;
            }
            switch (r) {
                case ARecord a -> out.add(new AnswerAddress(bare(a), a.getTTL()));
                case AAAARecord aaaa -> {
                    if (withIpv6) {
                        out.add(new AnswerAddress(bare(aaaa), aaaa.getTTL()));
                    }
                }
                case SVCBBase svcb -> hints(svcb, withIpv6, out);
                default -> { }
            }
        }
        return out;
    }

    /** Returns whether {@code r} is a record that leads a client to addresses: A, AAAA, HTTPS or SVCB. */
    static boolean carriesAddresses(Record r) {
        return r instanceof ARecord || r instanceof AAAARecord || r instanceof SVCBBase;
    }

    /** Returns how many addresses {@code r} carries (one for A and AAAA, its hints for HTTPS and SVCB). */
    static int addressCount(Record r) {
        if (!(r instanceof SVCBBase svcb)) {
            return carriesAddresses(r) ? 1 : 0;
        }
        List<AnswerAddress> hints = new ArrayList<>();
        hints(svcb, true, hints);
        return hints.size();
    }

    /**
     * The address of an A or AAAA record without a host name: dnsjava's {@code getAddress()} renders the
     * owner name into every InetAddress, garbage on each miss and memory held by every cached answer. An
     * AAAA stays IPv6 even when it is IPv4-mapped (the JDK would make that an IPv4 address, for the IPv4 set).
     */
    private static InetAddress bare(Record addressRecord) {
        try {
            byte[] rdata = addressRecord.rdataToWireCanonical();
            return rdata.length == 16 ? Inet6Address.getByAddress(null, rdata, -1) : InetAddress.getByAddress(rdata);
        } catch (UnknownHostException e) { // an A record's rdata is 4 bytes and an AAAA's 16: cannot happen
            throw new IllegalStateException("not an address record: " + addressRecord, e);
        }
    }

    private static void hints(SVCBBase record, boolean withIpv6, List<AnswerAddress> out) {
        try {
            if (record.getSvcParamValue(SVCBBase.IPV4HINT) instanceof SVCBBase.ParameterIpv4Hint v4) {
                v4.getAddresses().forEach(a -> out.add(new AnswerAddress(a, record.getTTL())));
            }
            if (withIpv6 && record.getSvcParamValue(SVCBBase.IPV6HINT) instanceof SVCBBase.ParameterIpv6Hint v6) {
                v6.getAddresses().forEach(a -> out.add(new AnswerAddress(a, record.getTTL())));
            }
        } catch (UnknownHostException e) {
            // A hint with a malformed address: the record is the upstream's problem; write the rest.
        }
    }
}
