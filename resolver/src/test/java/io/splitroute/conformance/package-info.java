/**
 * DNS protocol conformance of the packaged server, rule by rule (RFC 1035, 3597, 4035, 6840, 6891, 7871,
 * 7873, 8906): header flags, EDNS versions, options and flags, DNSSEC bits, opcodes and unknown types,
 * malformed and hostile messages, each checked fresh from the upstream and again from the cache.
 *
 * <p>Every test class starts the jar ({@code target/splitroute.jar}) on loopback with an
 * {@link io.splitroute.conformance.AuthoritativeUpstream}, an in-process authority for {@code conf.test}
 * that records what splitroute forwards and answers like a careless authority (AA, its own EDNS size,
 * options echoed), and speaks to it with raw messages built with dnsjava or byte by byte, where dig cannot
 * express them. {@code lab/genreport.sh} runs ISC's compliance tester against the same rules.
 */
package io.splitroute.conformance;
