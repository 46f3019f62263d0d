package io.splitroute.upstream.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the TLS client side of one encrypted server: a Netty {@link SslContext} on the JDK provider (TLS 1.3
 * and 1.2), trusting through {@link ServerTrust}, and the {@link SslHandler} of each connection. One context
 * per server keeps that server's sessions, so reconnections resume them (no full handshake).
 */
public final class TlsClients {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsClients() {}

    /**
     * A context for a server whose certificate must be for {@code name}.
     *
     * @param alpn the application protocols to offer, in preference order; empty for none
     * @throws IOException if the {@code ca-file} cannot be read
     */
    public static SslContext context(TlsOptions options, String name, List<String> alpn)
            throws IOException, GeneralSecurityException {
        X509TrustManager cas = options.caFile() == null ? TrustStores.system() : TrustStores.fromPem(options.caFile());
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .endpointIdentificationAlgorithm(null) // ServerTrust checks the name, with a clearer error
                .trustManager(new ServerTrust(cas, name, options.pinSha256()));
        if (!alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        return builder.build();
    }

    /**
     * The handler for one connection to {@code name}: SNI set to it (unless it is an IP address), sessions
     * cached under {@code name} and {@code port}.
     */
    public static SslHandler handler(SslContext context, ByteBufAllocator alloc, String name, int port,
                                     Duration handshakeTimeout) {
        SslHandler handler = context.newHandler(alloc, name, port);
        SSLEngine engine = handler.engine();
        if (!isIp(name)) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(name)));
            engine.setSSLParameters(parameters);
        }
        handler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()));
        return handler;
    }

    private static boolean isIp(String name) {
        return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }
}
