package io.splitroute.testing;

import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.query.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Queries and replies for stage tests, which call one stage with a lambda as the next. */
public final class StageQueries {
    private StageQueries() {}

    /** A query for {@code name} of {@code type} and {@code dclass} from {@code client} over UDP. */
    public static Query query(String name, int type, int dclass, String client) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(name.endsWith(".") ? name : name + "."),
                    type, dclass));
            m.getHeader().setFlag(Flags.RD);
            return Query.of(m, new InetSocketAddress(InetAddress.getByName(client), 40000), Transport.UDP);
        } catch (Exception e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    /** A query for {@code name} of {@code type}, class IN, from 127.0.0.1. */
    public static Query query(String name, int type) {
        return query(name, type, DClass.IN, "127.0.0.1");
    }

    /** An upstream answer to {@code query} with one A record per address, TTL {@code ttl}. */
    public static Resolution answer(Query query, long ttl, String... addresses) {
        try {
            Message reply = query.message().clone();
            reply.getHeader().setFlag(Flags.QR);
            for (String a : addresses) {
                reply.addRecord(new ARecord(query.question().getName(), DClass.IN, ttl, InetAddress.getByName(a)),
                        Section.ANSWER);
            }
            return new Resolution(reply, Source.UPSTREAM, query.route(), "isp", null);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
