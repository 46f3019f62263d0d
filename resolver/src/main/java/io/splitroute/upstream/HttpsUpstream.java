package io.splitroute.upstream;

import io.netty.handler.ssl.ApplicationProtocolNames;
import io.splitroute.upstream.tls.TlsOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * One DNS-over-HTTPS server ({@code https://HOST[:PORT]/PATH[@IP]}, RFC 8484): queries as
 * {@code application/dns-message} by POST (or GET), over HTTP/2 when the server offers it through ALPN, else
 * HTTP/1.1. The certificate is checked as for {@link TlsUpstream}; connections are reused
 * ({@link SessionPool}, {@link DohSession}), each HTTP/2 connection carrying up to
 * {@value DohSession#MAX_STREAMS} queries at once.
 */
public final class HttpsUpstream implements ServerUpstream {

    /** The HTTP method queries are sent with. */
    public enum Method {
        /** The query as the request body (RFC 8484 section 4.1); the default. */
        POST,
        /** The query base64url-encoded in the {@code dns} parameter: cacheable by HTTP caches. */
        GET
    }

    private final ServerSpec spec;
    private final String name;
    private final SocketBinding binding;
    private final UpstreamStats stats = new UpstreamStats();
    private final SessionPool pool;
    private final String description;

    /**
     * A DoH upstream for {@code spec}.
     *
     * @param bootstrap the plain servers that look HOST up when {@code spec} has no {@code @IP}; may be
     *                  {@code null} when it has one
     * @throws IllegalArgumentException if {@code spec} is not {@code https://}, or needs a lookup and there is
     *     no bootstrap group, or the TLS options cannot be used (the message says why)
     */
    public HttpsUpstream(ServerSpec spec, SocketBinding binding, TlsOptions tls, Method method, Upstream bootstrap,
                         UpstreamOptions options) {
        if (spec.protocol() != ServerSpec.Protocol.HTTPS) {
            throw new IllegalArgumentException("not an https:// server: " + spec);
        }
        this.spec = spec;
        this.name = spec.uri();
        this.binding = binding;
        String certName = tls.nameFor(spec.host());
        this.description = ServerDescription.of(name, false, binding, certName, tls,
                TlsUpstream.bootstrapServers(spec, bootstrap));
        Dialer dialer = new Dialer(options, binding, stats, TlsUpstream.context(name, tls, certName,
                List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)), certName);
        Endpoint endpoint = TlsUpstream.endpoint(spec, name, bootstrap);
        DohRequests requests = new DohRequests(certName, spec.port(), spec.path(), method);
        this.pool = new SessionPool(name, options, binding, stats,
                loop -> new DohSession(loop, endpoint, name, dialer, requests, stats));
    }

    /** {@code https://HOST:PORT/PATH}, with {@code @IP} when configured. */
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
