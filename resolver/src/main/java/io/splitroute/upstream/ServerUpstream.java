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
     * The server as the start-up log shows it: its name and, in brackets, its binding (and for tls:// and
     * https:// the certificate name and what it is checked against).
     */
    default String describe() {
        return ServerDescription.of(name(), spec().iface() != null, binding(), null, null, java.util.List.of());
    }

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
