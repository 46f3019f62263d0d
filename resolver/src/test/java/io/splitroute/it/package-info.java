/**
 * Black-box integration tests: the packaged {@code target/splitroute.jar} run as a child process and
 * driven from outside, next to real programs (knot as the upstream, dnsmasq as the reference, {@code dig}
 * as the client), all on loopback.
 *
 * <p>The classes without {@code IT} in their name start and stop those programs: each one is a child
 * process on a free loopback port, destroyed by its handle when the test ends, also on failure.
 */
package io.splitroute.it;
