package io.splitroute.upstream;

import io.netty.handler.ssl.SslContext;
import io.splitroute.upstream.tls.TlsClients;
import io.splitroute.upstream.tls.TlsOptions;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * One DNS-over-TLS server ({@code tls://HOST[:PORT][@IP]}, RFC 7858): TCP framing inside TLS, the
 * certificate checked for HOST (or the group's {@code sni}) against the system's CAs or the group's
 * {@code ca-file}, and its pins. Queries are pipelined over a few reused connections per event loop
 * ({@link SessionPool}, {@link TcpSession}); reconnections resume the TLS session.
 *
 * <p>A refused certificate fails the query with {@link UpstreamException.Reason#TLS}, logged once per cause
 * per minute; the group then tries its next server. Nothing is ever sent in the clear instead.
 */
public final class TlsUpstream implements ServerUpstream {

    private final ServerSpec spec;
    private final String name;
    private final SocketBinding binding;
    private final UpstreamStats stats = new UpstreamStats();
    private final SessionPool pool;
    private final String description;

    /**
     * A DoT upstream for {@code spec}.
     *
     * @param bootstrap the plain servers that look HOST up when {@code spec} has no {@code @IP}; may be
     *                  {@code null} when it has one
     * @throws IllegalArgumentException if {@code spec} is not {@code tls://}, or needs a lookup and there is
     *     no bootstrap group, or the TLS options cannot be used (the message says why)
     */
    public TlsUpstream(ServerSpec spec, SocketBinding binding, TlsOptions tls, Upstream bootstrap, UpstreamOptions options) {
        if (spec.protocol() != ServerSpec.Protocol.TLS) {
            throw new IllegalArgumentException("not a tls:// server: " + spec);
        }
        this.spec = spec;
        this.name = spec.uri();
        this.binding = binding;
        String certName = tls.nameFor(spec.host());
        this.description = ServerDescription.of(name, false, binding, certName, tls, bootstrapServers(spec, bootstrap));
        Dialer dialer = new Dialer(options, binding, stats, context(name, tls, certName, List.of()), certName);
        Endpoint endpoint = endpoint(spec, name, bootstrap);
        this.pool = new SessionPool(name, options, binding, stats, loop -> new TcpSession(loop, endpoint, name, dialer, stats));
    }

    static SslContext context(String server, TlsOptions tls, String certName, List<String> alpn) {
        try {
            return TlsClients.context(tls, certName, alpn);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(server + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The bootstrap servers' names, for {@link #describe()}; empty when the address is known. */
    static List<String> bootstrapServers(ServerSpec spec, Upstream bootstrap) {
        if (!spec.needsBootstrap() || bootstrap == null) {
            return List.of();
        }
        return bootstrap instanceof UpstreamGroup group
                ? group.servers().stream().map(Upstream::name).toList() : List.of(bootstrap.name());
    }

    static Endpoint endpoint(ServerSpec spec, String server, Upstream bootstrap) {
        if (!spec.needsBootstrap()) {
            return Endpoint.fixed(spec.socketAddress());
        }
        if (bootstrap == null) {
            throw new IllegalArgumentException(server + ": no address to dial: write it as " + spec.protocol().scheme()
                    + "://" + spec.host() + "@IP, or give bootstrap servers to look " + spec.host() + " up");
        }
        return new BootstrapEndpoint(server, spec.host(), spec.port(), bootstrap);
    }

    /** {@code tls://HOST:PORT}, with {@code @IP} when configured. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public ServerSpec spec() {
        return spec;
    }

    @Override
    public SocketBinding binding() {
        return binding;
    }

    @Override
    public UpstreamStats stats() {
        return stats;
    }

    @Override
    public String describe() {
        return description;
    }

    /** {@inheritDoc} Its connections close once their queries are answered. */
    @Override
    public void close() {
        pool.close();
    }

    /** {@inheritDoc} */
    @Override
    public CompletableFuture<Message> query(Message query) {
        return EncryptedQueries.send(query, name, stats, pool);
    }

    /** {@link #name()}. */
    @Override
    public String toString() {
        return name;
    }
}
