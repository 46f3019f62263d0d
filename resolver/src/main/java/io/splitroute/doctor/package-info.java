/**
 * {@code splitroute doctor}: checks the whole chain on this machine, one {@link io.splitroute.doctor.Finding}
 * per check with what to do when it fails: config, lists, listeners, kernel sets, the marking rule, the
 * {@code ip rule} and the tunnel's route table, the tunnel, each upstream, and names asked through the
 * running server, their addresses in the set and routed through the tunnel.
 *
 * <p>{@link io.splitroute.doctor.Doctor} runs the checks in that order. The kernel's routing state is read
 * with the system's own tools ({@code ip -j}, {@code iptables-save}, {@code nft -j}, {@code wg}); the routing
 * facts (tunnel, mark, table) come from the routing scripts' settings file ({@link
 * io.splitroute.doctor.RoutingSettings}).
 */
package io.splitroute.doctor;
