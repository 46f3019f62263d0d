/**
 * Talking to real DNS servers: {@link io.splitroute.upstream.Upstream} and its implementations.
 *
 * <ul>
 *   <li>{@link io.splitroute.upstream.UdpUpstream} and {@link io.splitroute.upstream.TcpUpstream}: one server
 *       each. Every query gets a fresh {@link java.security.SecureRandom} ID (and over UDP a fresh socket on a
 *       kernel-chosen random port); a reply is accepted only from the server asked, with the same ID and
 *       question; anything else is dropped and counted. UDP retries over TCP when a reply is truncated. TCP
 *       connections are reused and pipelined (one per server and event loop, closed after 10 s idle).</li>
 *   <li>{@link io.splitroute.upstream.UpstreamGroup}: servers tried in configured order, failing over on
 *       timeout, unreachable server, SERVFAIL and REFUSED.</li>
 *   <li>{@link io.splitroute.upstream.UpstreamFactory}: groups from config strings ({@code udp://IP:PORT},
 *       {@code tcp://IP:PORT}, {@code system}, the last read by {@link io.splitroute.upstream.SystemResolvers}).</li>
 *   <li>{@link io.splitroute.upstream.UpstreamStats}: per-server counters for metrics.</li>
 * </ul>
 *
 * <p>Nothing here blocks or starts threads: all I/O runs on the event loops of the shared
 * {@link io.splitroute.net.NetTransport}, and every query ends within its attempt timeouts.
 */
package io.splitroute.upstream;
