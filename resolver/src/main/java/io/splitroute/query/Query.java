package io.splitroute.query;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;

/**
 * One client query as it travels the pipeline: the parsed message, who asked, how, and (once the router
 * has run) the route. Immutable; stages derive new instances with {@link #withRoute(Route)}.
 *
 * @param message       the client's message (never modified)
 * @param client        the client's address
 * @param transport     UDP or TCP
 * @param receivedNanos {@link System#nanoTime()} when the query arrived
 * @param route         the routing decision, {@code null} until the router has run
 */
public record Query(Message message, InetSocketAddress client, Transport transport, long receivedNanos, Route route) {

    /** Smallest UDP payload a DNS client may assume (RFC 1035). */
    public static final int MIN_UDP_PAYLOAD = 512;

    /** Checks the arguments. */
    public Query {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(transport, "transport");
    }

    /** Creates a query that has not been routed yet. */
    public static Query of(Message message, InetSocketAddress client, Transport transport) {
        return new Query(message, client, transport, System.nanoTime(), null);
    }

    /** Returns this query with the given routing decision. */
    public Query withRoute(Route newRoute) {
        return new Query(message, client, transport, receivedNanos, newRoute);
    }

    /** Returns the question, or {@code null} when the message carries none. */
    public Record question() {
        return message.getQuestion();
    }

    /** Returns whether the client set the EDNS DO bit (it wants DNSSEC records). */
    public boolean dnssecOk() {
        OPTRecord opt = message.getOPT();
        return opt != null && (opt.getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0;
    }

    /**
     * Returns the largest reply the client accepts over this transport: 65535 over TCP; over UDP the EDNS
     * payload size it advertised (at least 512), or 512 without EDNS.
     */
    public int maxReplySize() {
        if (transport == Transport.TCP) {
            return 65535;
        }
        OPTRecord opt = message.getOPT();
        return opt == null ? MIN_UDP_PAYLOAD : Math.max(MIN_UDP_PAYLOAD, opt.getPayloadSize());
    }
}
