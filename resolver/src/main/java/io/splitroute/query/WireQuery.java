package io.splitroute.query;

/**
 * The fields of a client query read straight from its wire bytes, without building a dnsjava message:
 * enough to route it, look it up in the cache and answer a hit. Also checks that every record of the
 * message is framed correctly, so a message that passes is safe to hand to dnsjava later.
 *
 * @param id          the message ID
 * @param flags       the header's second 16 bits (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode)
 * @param name        the question name: lower case, no trailing dot ({@code ""} for the root), with dots and
 *                    backslashes inside labels, and bytes outside printable ASCII, escaped as in zone files
 * @param qtype       the question type
 * @param qclass      the question class
 * @param questionEnd the offset just past the question
 * @param edns        whether the message has an OPT record
 * @param payload     the EDNS UDP payload size, or 0 without EDNS
 * @param dnssecOk    the EDNS DO bit
 */
public record WireQuery(int id, int flags, String name, int qtype, int qclass, int questionEnd, boolean edns,
                        int payload, boolean dnssecOk) {
    private static final int HEADER = 12;
    private static final int TYPE_OPT = 41;

    /** Returns whether the client set RD. */
    public boolean recursionDesired() {
        return (flags & 0x0100) != 0;
    }

    /** Returns whether the client set CD. */
    public boolean checkingDisabled() {
        return (flags & 0x0010) != 0;
    }

    /** Returns the opcode. */
    public int opcode() {
        return (flags >> 11) & 0x0f;
    }

    /**
     * Reads a query with exactly one question.
     *
     * @return the fields, or {@code null} when the message is not a well-framed query with one question
     *     (the caller then lets dnsjava decide between FORMERR and a drop)
     */
    public static WireQuery parse(byte[] wire) {
        if (wire.length < HEADER || u16(wire, 4) != 1) {
            return null;
        }
        int pos = nameEnd(wire, HEADER);
        if (pos < 0 || pos + 4 > wire.length) {
            return null;
        }
        String name = name(wire, HEADER);
        int qtype = u16(wire, pos);
        int qclass = u16(wire, pos + 2);
        int questionEnd = pos + 4;
        int records = u16(wire, 6) + u16(wire, 8) + u16(wire, 10);
        boolean edns = false;
        int payload = 0;
        boolean dnssecOk = false;
        pos = questionEnd;
        for (int i = 0; i < records; i++) {
            pos = skipName(wire, pos);
            if (pos < 0 || pos + 10 > wire.length) {
                return null;
            }
            int type = u16(wire, pos);
            int end = pos + 10 + u16(wire, pos + 8);
            if (end > wire.length) {
                return null;
            }
            if (type == TYPE_OPT) {
                if (edns) {
                    return null; // two OPT records: FORMERR (RFC 6891)
                }
                edns = true;
                payload = u16(wire, pos + 2);
                dnssecOk = (wire[pos + 6] & 0x80) != 0;
            }
            pos = end;
        }
        if (pos != wire.length) {
            return null;
        }
        return new WireQuery(u16(wire, 0), u16(wire, 2), name, qtype, qclass, questionEnd, edns,
                payload, dnssecOk);
    }

    /** Checks the uncompressed name at {@code pos}; returns the offset after it, or -1. */
    private static int nameEnd(byte[] wire, int pos) {
        int total = 0;
        while (pos < wire.length) {
            int len = wire[pos] & 0xff;
            if (len == 0) {
                return pos + 1;
            }
            if (len > 63 || pos + 1 + len > wire.length || (total += len + 1) > 255) {
                return -1; // a compression pointer has nothing to point at in a question, or bad length
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

    private static int skipName(byte[] wire, int pos) {
        while (pos < wire.length) {
            int len = wire[pos] & 0xff;
            if (len == 0) {
                return pos + 1;
            }
            if ((len & 0xc0) == 0xc0) {
                return pos + 2 <= wire.length ? pos + 2 : -1;
            }
            if ((len & 0xc0) != 0) {
                return -1;
            }
            pos += 1 + len;
        }
        return -1;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }
}
