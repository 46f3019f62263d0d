package io.splitroute.upstream;

/**
 * One server of a group ({@link UdpUpstream}, {@link TcpUpstream}, {@link TlsUpstream}, {@link HttpsUpstream}):
 * what it was configured as, how its sockets are bound, and its counters.
 */
public interface ServerUpstream extends Upstream {

    /** The server as configured. */
    ServerSpec spec();

    /** The interface and mark its sockets carry ({@link SocketBinding#NONE} when unbound). */
    SocketBinding binding();

    /** Its counters, for metrics. */
    UpstreamStats stats();

    /**
     * The failure for a query that must not be sent because the bound interface is down or gone, or
     * {@code null}. Call on an event loop: the interface is looked up in that thread's network namespace.
     */
    static UpstreamException interfaceDown(SocketBinding binding, String server) {
        String problem = binding.unavailable();
        return problem == null ? null : new UpstreamException(UpstreamException.Reason.INTERFACE_DOWN, server,
                problem + ": not sent (a bound server is never reached by another interface)");
    }
}
