package io.splitroute.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * One client query as it travels the pipeline: its wire bytes and the fields read from them
 * ({@link WireQuery}), who asked, how, and (once the router has run) the route. The dnsjava message is
 * built only when a stage needs it (a cache miss, a local answer), so a cache hit never parses the query.
 * Immutable; stages derive new instances with {@link #withRoute(Route)}.
 */
public final class Query {
    /** Smallest UDP payload a DNS client may assume (RFC 1035). */
    public static final int MIN_UDP_PAYLOAD = 512;
    /**
     * Largest UDP reply splitroute sends, whatever EDNS size the client advertises (DNS Flag Day 2020):
     * replies never fragment, and the router cannot be used to reflect large replies at spoofed addresses.
     * A longer answer goes out truncated with TC set; the client asks again over TCP.
     */
    public static final int MAX_UDP_REPLY = 1232;

    private final byte[] wire;
    private final WireQuery fields;
    private final InetSocketAddress client;
    private final Transport transport;
    private final long receivedNanos;
    private final Route route;
    private volatile Message message;

    private Query(byte[] wire, WireQuery fields, Message message, InetSocketAddress client, Transport transport,
                  long receivedNanos, Route route) {
        this.wire = wire;
        this.fields = Objects.requireNonNull(fields, "fields");
        this.message = message;
        this.client = Objects.requireNonNull(client, "client");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.receivedNanos = receivedNanos;
        this.route = route;
    }

    /**
     * Creates a query that has not been routed yet from its wire bytes.
     *
     * @param wire   the message as received (not copied; must not be modified afterwards)
     * @param fields its fields, from {@link WireQuery#parse(byte[])}
     */
    public static Query of(byte[] wire, WireQuery fields, InetSocketAddress client, Transport transport) {
        return new Query(wire, fields, null, client, transport, System.nanoTime(), null);
    }

    /**
     * Creates a query that has not been routed yet from a message dnsjava has already parsed (the decoder's
     * path for queries that are not in the plain form).
     *
     * @param wire    the message as rendered from {@code message} (not copied; must not be modified afterwards)
     * @param fields  its fields, from {@link WireQuery#read(Message, byte[])}
     * @param message the parsed message, used instead of parsing {@code wire} again
     */
    public static Query of(byte[] wire, WireQuery fields, Message message, InetSocketAddress client,
                           Transport transport) {
        return new Query(wire, fields, Objects.requireNonNull(message, "message"), client, transport,
                System.nanoTime(), null);
    }

    /** Creates a query from a dnsjava message (tests, local callers). */
    public static Query of(Message message, InetSocketAddress client, Transport transport) {
        byte[] wire = message.toWire();
        WireQuery fields = WireQuery.parse(wire);
        if (fields == null) {
            fields = WireQuery.read(message, wire);
        }
        if (fields.qtype() == 0 && fields.questionEnd() == 12) {
            throw new IllegalArgumentException("not a query with a question: " + message);
        }
        return new Query(wire, fields, message, client, transport, System.nanoTime(), null);
    }

    /** Returns this query with the given routing decision. */
    public Query withRoute(Route newRoute) {
        return new Query(wire, fields, message, client, transport, receivedNanos, newRoute);
    }

    /** Returns the message as received. Read only. */
    public byte[] wire() {
        return wire;
    }

    /** Returns the fields read from the wire. */
    public WireQuery fields() {
        return fields;
    }

    /** Returns the dnsjava message, parsing the wire bytes on first use. Read only. */
    public Message message() {
        Message m = message;
        if (m == null) {
            try {
                m = new Message(wire);
            } catch (IOException e) {
                throw new UncheckedIOException("a query that passed the wire check does not parse", e);
            }
            message = m;
        }
        return m;
    }

    /** Returns the client's address. */
    public InetSocketAddress client() {
        return client;
    }

    /** Returns UDP or TCP. */
    public Transport transport() {
        return transport;
    }

    /** Returns {@link System#nanoTime()} when the query arrived. */
    public long receivedNanos() {
        return receivedNanos;
    }

    /** Returns the routing decision, {@code null} until the router has run. */
    public Route route() {
        return route;
    }

    /** Returns the question name: lower case, no trailing dot. */
    public String name() {
        return fields.name();
    }

    /** Returns the question type. */
    public int qtype() {
        return fields.qtype();
    }

    /** Returns the question class. */
    public int qclass() {
        return fields.qclass();
    }

    /** Returns the question record (parses the message). */
    public Record question() {
        return message().getQuestion();
    }

    /** Returns whether the client set the EDNS DO bit (it wants DNSSEC records). */
    public boolean dnssecOk() {
        return fields.dnssecOk();
    }

    /**
     * Returns the largest reply to send over this transport: 65535 over TCP; over UDP the EDNS payload size
     * the client advertised, at least 512 and at most {@link #MAX_UDP_REPLY}, or 512 without EDNS.
     */
    public int maxReplySize() {
        if (transport == Transport.TCP) {
            return 65535;
        }
        return fields.edns() ? Math.clamp(fields.payload(), MIN_UDP_PAYLOAD, MAX_UDP_REPLY) : MIN_UDP_PAYLOAD;
    }

    /** Returns whether the client may see the AD bit: it set DO or AD (RFC 6840 5.8). */
    public boolean wantsAuthenticData() {
        return fields.dnssecOk() || fields.authenticData();
    }

    @Override
    public String toString() {
        return fields.name() + " " + org.xbill.DNS.Type.string(fields.qtype()) + " from " + client;
    }
}
