package io.splitroute.query;

/** How a query reached splitroute. */
public enum Transport {
    /** A UDP datagram: the reply is cut to the client's EDNS buffer size. */
    UDP,
    /** A TCP stream: the reply may be up to 65535 bytes. */
    TCP
}
