package io.splitroute.testing;

/**
 * How {@link FakeUpstream} forges a reply for a name set up with {@link FakeUpstream#spoof}.
 *
 * <p>Every forged reply answers the query name with {@link FakeUpstream#POISON_ADDRESS}, so a test can assert
 * that this address never reaches the client or the cache.
 */
public enum SpoofMode {
    /** The forged reply carries a different message ID (the real ID plus one). UDP and TCP. */
    WRONG_ID,
    /** The forged reply carries the right ID but another question name ({@code poison.<name>}). UDP and TCP. */
    WRONG_QUESTION,
    /**
     * The forged reply has the right ID and question but comes from another UDP socket of the fake (same
     * address, different source port). Over TCP there is no forged reply, only the real one.
     */
    WRONG_SOURCE_PORT
}
