package io.splitroute.sets;

import io.splitroute.query.AnswerAddress;
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
 * The addresses an answer leads a client to: every A and AAAA record of the answer section (so the
 * targets of a CNAME chain count, whatever their names), and the ipv4hint / ipv6hint of HTTPS and SVCB
 * records, each with its TTL.
 */
public final class AnswerAddresses {
    private AnswerAddresses() {}

    /** Returns every address of {@code reply}'s answer section, IPv6 included (what the cache keeps per entry). */
    public static List<AnswerAddress> all(Message reply) {
        return of(reply, true);
    }

    /** Returns the addresses of {@code reply}'s answer section; IPv6 ones only when {@code withIpv6}. */
    public static List<AnswerAddress> of(Message reply, boolean withIpv6) {
        List<AnswerAddress> out = new ArrayList<>();
        for (Record r : reply.getSection(Section.ANSWER)) {
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

    /**
     * The address of an A or AAAA record without a host name: dnsjava's {@code getAddress()} renders the
     * owner name into every InetAddress, garbage on each miss and memory held by every cached answer.
     */
    private static InetAddress bare(Record addressRecord) {
        try {
            return InetAddress.getByAddress(addressRecord.rdataToWireCanonical());
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
