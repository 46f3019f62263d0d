/**
 * Operating splitroute: the admin HTTP listener ({@code /metrics}, {@code /healthz}, {@code /reload},
 * {@code /querylog}), the resolver's meters in one binder, and the switchable JSON query log.
 *
 * <p>{@link io.splitroute.admin.AdminSetup} wires all of it to a running resolver; nothing on the query
 * path depends on this package (it only listens to finished queries).
 */
package io.splitroute.admin;
