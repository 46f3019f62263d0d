package io.splitroute.server;

import java.util.Locale;

/**
 * Why a client message was not resolved as a query: the {@code reason} tag of {@code dns.malformed}. A fixed
 * set, so hostile traffic cannot grow the meter's series.
 */
public enum Malformed {
    /** Shorter than a DNS header: dropped. */
    SHORT,
    /** A response (QR set) sent to the server: dropped. */
    RESPONSE,
    /** A bad label type or length, or a name over 255 bytes: FORMERR. */
    NAME,
    /** A compression pointer that does not point back (a loop, or forward): FORMERR. */
    COMPRESSION,
    /** A record or question running past the end of the message, or bytes after the last record: FORMERR. */
    RECORD_LENGTH,
    /** An OPT record that is misplaced, repeated, not owned by the root, or whose options do not parse: FORMERR. */
    EDNS,
    /** A record whose data does not parse although its length is right: FORMERR. */
    RDATA,
    /** A QUERY without exactly one question: FORMERR. */
    QUESTION_COUNT,
    /** An opcode other than QUERY: NOTIMP. */
    OPCODE;

    private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** Returns the tag value: the name in lower case with dashes ({@code record-length}). */
    public String tag() {
        return tag;
    }

    /** Returns whether a message of this kind is dropped unanswered. */
    public boolean dropped() {
        return this == SHORT || this == RESPONSE;
    }
}
