/**
 * Talking to real DNS servers: {@link io.splitroute.upstream.Upstream} and its implementations.
 *
 * <ul>
 *   <li>{@link io.splitroute.upstream.UdpUpstream} and {@link io.splitroute.upstream.TcpUpstream}: one plain
 *       server each. Every query gets a fresh {@link java.security.SecureRandom} ID (and over UDP a fresh
 *       socket on a kernel-chosen random port); a reply is accepted only from the server asked, with the same
 *       ID and question; anything else is dropped and counted. UDP retries over TCP when a reply is
 *       truncated. TCP connections are reused and pipelined (one per server and event loop, closed after
 *       10 s idle).</li>
 *   <li>{@link io.splitroute.upstream.TlsUpstream} (DNS over TLS) and {@link io.splitroute.upstream.HttpsUpstream}
 *       (DNS over HTTPS, HTTP/2 or HTTP/1.1): encrypted servers, their certificates checked by
 *       {@link io.splitroute.upstream.tls}; queries pipelined over a few reused connections
 *       ({@link io.splitroute.upstream.SessionPool}), with backoff after failed connects or handshakes.</li>
 *   <li>{@link io.splitroute.upstream.SocketBinding}: a group's interface and mark, set on every socket
 *       (SO_BINDTODEVICE, SO_MARK); a query for a server bound to an interface that is down fails before it
 *       is sent, and never takes another interface.</li>
 *   <li>{@link io.splitroute.upstream.UpstreamGroup}: servers tried in configured order, failing over on
 *       timeout, unreachable server, refused certificate, SERVFAIL and REFUSED; says when all its servers
 *       are bound and failing.</li>
 *   <li>{@link io.splitroute.upstream.ServerSpec} and {@link io.splitroute.upstream.GroupSpec}: the configured
 *       form; {@link io.splitroute.upstream.UpstreamFactory} builds groups from them ({@code system} read by
 *       {@link io.splitroute.upstream.SystemResolvers}).</li>
 *   <li>{@link io.splitroute.upstream.UpstreamStats}: per-server counters for metrics.</li>
 * </ul>
 *
 * <p>Nothing here blocks or starts threads: all I/O runs on the event loops of the shared
 * {@link io.splitroute.net.NetTransport}, and every query ends within its attempt timeouts.
 */
package io.splitroute.upstream;
