package io.splitroute.doctor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Asks a DNS server one question, the way a client on this machine does (dnsjava, UDP or TCP). */
final class DnsAsk {
    private DnsAsk() {}

    /**
     * Sends {@code name type class} to {@code server} and returns the reply.
     *
     * @throws IOException on a timeout or a refused connection
     */
    static Message ask(InetSocketAddress server, String name, int type, int dclass, boolean tcp, Duration timeout)
            throws IOException {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTCP(tcp);
        resolver.setTimeout(timeout);
        return resolver.send(query(name, type, dclass));
    }

    /** Returns a query with RD set for {@code name type class}. */
    static Message query(String name, int type, int dclass) throws TextParseException {
        return Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."), type, dclass));
    }

    /** Returns the A and AAAA addresses of the answer section, in order. */
    static List<InetAddress> addresses(Message reply) {
        List<InetAddress> addresses = new ArrayList<>();
        for (Record r : reply.getSection(Section.ANSWER)) {
            if (r instanceof ARecord a) {
                addresses.add(a.getAddress());
            } else if (r instanceof AAAARecord aaaa) {
                addresses.add(aaaa.getAddress());
            }
        }
        return addresses;
    }

    /** Returns the strings of the first TXT record of the answer, or an empty list. */
    static List<String> txt(Message reply) {
        for (Record r : reply.getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord txt) {
                return txt.getStrings();
            }
        }
        return List.of();
    }

    /** Asks the server's own version ({@code version.bind TXT CH}); returns it, or throws. */
    static String version(InetSocketAddress server, boolean tcp, Duration timeout) throws IOException {
        List<String> strings = txt(ask(server, "version.bind", Type.TXT, DClass.CH, tcp, timeout));
        return strings.isEmpty() ? "" : strings.getFirst();
    }
}
