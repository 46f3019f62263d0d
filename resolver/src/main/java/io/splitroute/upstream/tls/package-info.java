/**
 * Authenticating encrypted upstream servers: {@link io.splitroute.upstream.tls.TlsOptions} (a group's
 * {@code tls:} settings), {@link io.splitroute.upstream.tls.TrustStores} (the system's CAs or a
 * {@code ca-file}), {@link io.splitroute.upstream.tls.ServerTrust} (CA, name and pin checks, each refusal
 * saying what the server presented) and {@link io.splitroute.upstream.tls.TlsClients} (the Netty client
 * contexts, JDK provider).
 */
package io.splitroute.upstream.tls;
