/**
 * Test fixtures shared by every test of the resolver. {@link io.splitroute.testing.FakeUpstream} is an
 * in-process DNS server on loopback, programmable per name, that records what it receives; it is the only
 * upstream tests should talk to.
 */
package io.splitroute.testing;
