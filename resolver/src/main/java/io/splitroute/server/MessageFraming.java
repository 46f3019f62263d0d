package io.splitroute.server;

/**
 * Checks that every part of a DNS message is framed where it claims to be: each name's labels (compression
 * pointers pointing strictly back, as dnsjava requires, which rules out loops; at most 255 bytes), each
 * question and record inside the message, nothing after the last record, and the OPT record (additional
 * section only, once, owned by the root, its options framed exactly). What this passes, dnsjava can walk; it
 * may still refuse a record's data, which the decoder then answers as {@link Malformed#RDATA}.
 */
final class MessageFraming {
    private static final int HEADER = 12;
    private static final int TYPE_OPT = 41;
    private static final int MAX_NAME = 255;

    private MessageFraming() {}

    /** Returns why {@code wire} (at least a header long) is not framed correctly, or {@code null} if it is. */
    static Malformed check(byte[] wire) {
        int questions = u16(wire, 4);
        int answerAndAuthority = u16(wire, 6) + u16(wire, 8);
        int records = answerAndAuthority + u16(wire, 10);
        int pos = HEADER;
        for (int i = 0; i < questions; i++) {
            pos = name(wire, pos);
            if (pos < 0) {
                return reason(pos);
            }
            if ((pos += 4) > wire.length) {
                return Malformed.RECORD_LENGTH;
            }
        }
        boolean seenOpt = false;
        for (int i = 0; i < records; i++) {
            int owner = pos;
            pos = name(wire, pos);
            if (pos < 0) {
                return reason(pos);
            }
            if (pos + 10 > wire.length) {
                return Malformed.RECORD_LENGTH;
            }
            int end = pos + 10 + u16(wire, pos + 8);
            if (end > wire.length) {
                return Malformed.RECORD_LENGTH;
            }
            if (u16(wire, pos) == TYPE_OPT) {
                if (seenOpt || i < answerAndAuthority || wire[owner] != 0 || !optionsFramed(wire, pos + 10, end)) {
                    return Malformed.EDNS;
                }
                seenOpt = true;
            }
            pos = end;
        }
        return pos == wire.length ? null : Malformed.RECORD_LENGTH;
    }

    private static Malformed reason(int code) {
        return switch (code) {
            case -1 -> Malformed.NAME;
            case -2 -> Malformed.COMPRESSION;
            default -> Malformed.RECORD_LENGTH;
        };
    }

    /**
     * Walks the name at {@code pos}; returns the offset after it where it starts, or -1 (bad label type or
     * length, or too long), -2 (a pointer that does not point back before itself), -3 (runs past the end).
     */
    private static int name(byte[] wire, int pos) {
        int after = -1;
        int length = 1;
        while (true) {
            if (pos >= wire.length) {
                return -3;
            }
            int len = wire[pos] & 0xff;
            if (len == 0) {
                return after >= 0 ? after : pos + 1;
            }
            switch (len & 0xc0) {
                case 0x00 -> {
                    if (pos + 1 + len > wire.length) {
                        return -3;
                    }
                    if ((length += len + 1) > MAX_NAME) {
                        return after >= 0 ? -2 : -1; // through pointers: labels read again and again
                    }
                    pos += 1 + len;
                }
                case 0xc0 -> {
                    if (pos + 2 > wire.length) {
                        return -3;
                    }
                    int target = ((len & 0x3f) << 8) | (wire[pos + 1] & 0xff);
                    if (target >= pos) {
                        return -2;
                    }
                    if (after < 0) {
                        after = pos + 2;
                    }
                    pos = target;
                }
                default -> {
                    return -1;
                }
            }
        }
    }

    /** Whether the EDNS options in {@code wire[pos, end)} each have their code, length and data, to the end. */
    private static boolean optionsFramed(byte[] wire, int pos, int end) {
        while (pos < end) {
            if (pos + 4 > end) {
                return false;
            }
            pos += 4 + u16(wire, pos + 2);
        }
        return pos == end;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }
}
