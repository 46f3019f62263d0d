package io.splitroute.query;

import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * The fields of a client query read straight from its wire bytes, without building a dnsjava message:
 * enough to route it, look it up in the cache and answer a hit.
 *
 * <p>{@link #parse(byte[])} is the hot path's check: it accepts only the plain form of a query (one
 * uncompressed question, no answer or authority records, at most an OPT record whose options it reads), and
 * everything it accepts dnsjava parses to the same fields. Anything else (a malformed message, or an
 * unusual but valid one) is left to the decoder, which frames every record and lets dnsjava read the rest;
 * {@link #read(Message, byte[])} then takes the fields from what dnsjava read.
 *
 * @param id          the message ID
 * @param flags       the header's second 16 bits (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode)
 * @param name        the question name: lower case, no trailing dot ({@code ""} for the root or without a
 *                    question), with dots and backslashes inside labels, and bytes outside printable ASCII,
 *                    escaped as in zone files
 * @param qtype       the question type (0 without a question)
 * @param qclass      the question class (0 without a question)
 * @param questionEnd the offset just past the question (12 without one)
 * @param edns        whether the message has an OPT record
 * @param payload     the EDNS UDP payload size, or 0 without EDNS
 * @param ednsVersion the EDNS version, or 0 without EDNS
 * @param dnssecOk    the EDNS DO bit
 */
public record WireQuery(int id, int flags, String name, int qtype, int qclass, int questionEnd, boolean edns,
                        int payload, int ednsVersion, boolean dnssecOk) {
    private static final int HEADER = 12;
    private static final int TYPE_OPT = 41;
    private static final int COOKIE = 10;

    /** Returns whether the client set RD. */
    public boolean recursionDesired() {
        return (flags & 0x0100) != 0;
    }

    /** Returns whether the client set CD. */
    public boolean checkingDisabled() {
        return (flags & 0x0010) != 0;
    }

    /** Returns whether the client set AD (it understands the AD bit of a reply, RFC 6840). */
    public boolean authenticData() {
        return (flags & 0x0020) != 0;
    }

    /** Returns the opcode. */
    public int opcode() {
        return (flags >> 11) & 0x0f;
    }

    /**
     * Reads a query in its plain form: exactly one question (uncompressed), no answer or authority records,
     * and in the additional section at most one OPT record (root owner, extended RCODE 0, options framed
     * exactly, none of those dnsjava reads with a parser of its own except a cookie of a valid length).
     *
     * @return the fields, or {@code null} when the message is not in that form (the caller then frames it
     *     fully and lets dnsjava decide)
     */
    public static WireQuery parse(byte[] wire) {
        if (wire.length < HEADER || u16(wire, 4) != 1 || u16(wire, 6) != 0 || u16(wire, 8) != 0
                || u16(wire, 10) > 1) {
            return null;
        }
        int pos = nameEnd(wire, HEADER);
        if (pos < 0 || pos + 4 > wire.length) {
            return null;
        }
        int questionEnd = pos + 4;
        if (u16(wire, 10) == 0) {
            return questionEnd == wire.length ? fields(wire, questionEnd, false, 0, 0, false) : null;
        }
        int opt = questionEnd;
        if (opt + 11 > wire.length || wire[opt] != 0 || u16(wire, opt + 1) != TYPE_OPT || wire[opt + 5] != 0
                || opt + 11 + u16(wire, opt + 9) != wire.length || !plainOptions(wire, opt + 11, wire.length)) {
            return null;
        }
        return fields(wire, questionEnd, true, u16(wire, opt + 3), wire[opt + 6] & 0xff, (wire[opt + 7] & 0x80) != 0);
    }

    private static WireQuery fields(byte[] wire, int questionEnd, boolean edns, int payload, int version, boolean dnssecOk) {
        return new WireQuery(u16(wire, 0), u16(wire, 2), name(wire, HEADER), u16(wire, questionEnd - 4),
                u16(wire, questionEnd - 2), questionEnd, edns, payload, version, dnssecOk);
    }

    /**
     * Whether the options in {@code wire[pos, end)} are framed exactly and read by dnsjava as opaque bytes
     * (unknown options, NSID, padding) or are a cookie of a valid length (RFC 7873: 8, or 16 to 40 bytes).
     * The options dnsjava parses with rules of its own (client subnet, algorithm lists, keepalive, extended
     * errors) are left to it.
     */
    private static boolean plainOptions(byte[] wire, int pos, int end) {
        while (pos < end) {
            if (pos + 4 > end) {
                return false;
            }
            int code = u16(wire, pos);
            int length = u16(wire, pos + 2);
            pos += 4 + length;
            if (pos > end || (code >= 5 && code <= 8) || code == 11 || code == 15
                    || (code == COOKIE && length != 8 && (length < 16 || length > 40))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes the fields of a query dnsjava has parsed (the decoder's path for what {@link #parse(byte[])} does
     * not accept).
     *
     * @param message  the parsed query
     * @param rendered {@code message.toWire()}: its first question name is never compressed
     */
    public static WireQuery read(Message message, byte[] rendered) {
        String name = "";
        int qtype = 0;
        int qclass = 0;
        int questionEnd = HEADER;
        if (u16(rendered, 4) > 0) {
            int end = nameEnd(rendered, HEADER);
            if (end < 0 || end + 4 > rendered.length) {
                throw new IllegalArgumentException("not a rendered message: no question at offset 12");
            }
            name = name(rendered, HEADER);
            qtype = u16(rendered, end);
            qclass = u16(rendered, end + 2);
            questionEnd = end + 4;
        }
        OPTRecord opt = message.getOPT();
        return new WireQuery(u16(rendered, 0), u16(rendered, 2), name, qtype, qclass, questionEnd, opt != null,
                opt == null ? 0 : opt.getPayloadSize(), opt == null ? 0 : opt.getVersion(),
                opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0);
    }

    /**
     * Returns the fields a header alone gives: ID and flags, no question, no EDNS (a message whose body could
     * not be read).
     */
    public static WireQuery headerOnly(byte[] wire) {
        return new WireQuery(u16(wire, 0), u16(wire, 2), "", 0, 0, HEADER, false, 0, 0, false);
    }

    /** Checks the uncompressed name at {@code pos}; returns the offset after it, or -1. */
    private static int nameEnd(byte[] wire, int pos) {
        int total = 0;
        while (pos < wire.length) {
            int len = wire[pos] & 0xff;
            if (len == 0) {
                return pos + 1;
            }
            if (len > 63 || pos + 1 + len > wire.length || (total += len + 1) > 254) {
                return -1; // a compression pointer or a bad label length; over 255 bytes with the root label
            }
            pos += 1 + len;
        }
        return -1;
    }

    /**
     * Returns the checked name at {@code pos} in lower case, dot-separated, without the final dot; bytes
     * that are not plain (dots, backslashes, controls, non-ASCII) in master-file escapes ({@code \.},
     * {@code \032}). The usual all-plain name is built in one array, without a StringBuilder.
     */
    private static String name(byte[] wire, int pos) {
        int length = -1;
        for (int p = pos, len; (len = wire[p] & 0xff) != 0; p += 1 + len) {
            for (int i = p + 1; i <= p + len; i++) {
                int b = wire[i] & 0xff;
                if (b <= 0x20 || b >= 0x7f || b == '.' || b == '\\') {
                    return escapedName(wire, pos);
                }
            }
            length += len + 1;
        }
        if (length < 0) {
            return "";
        }
        byte[] out = new byte[length];
        int o = 0;
        for (int p = pos, len; (len = wire[p] & 0xff) != 0; p += 1 + len) {
            if (o > 0) {
                out[o++] = '.';
            }
            for (int i = p + 1; i <= p + len; i++) {
                byte b = wire[i];
                out[o++] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
            }
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String escapedName(byte[] wire, int pos) {
        StringBuilder out = new StringBuilder(64);
        for (int p = pos, len; (len = wire[p] & 0xff) != 0; p += 1 + len) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            for (int i = p + 1; i <= p + len; i++) {
                appendEscaped(out, wire[i] & 0xff);
            }
        }
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, int b) {
        if (b >= 'A' && b <= 'Z') {
            out.append((char) (b + 32));
        } else if (b == '.' || b == '\\') {
            out.append('\\').append((char) b);
        } else if (b <= 0x20 || b >= 0x7f) {
            out.append('\\').append((char) ('0' + b / 100)).append((char) ('0' + b / 10 % 10)).append((char) ('0' + b % 10));
        } else {
            out.append((char) b);
        }
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }
}
