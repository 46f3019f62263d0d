package io.splitroute.query;

/**
 * Finds and rewrites the TTL fields of a DNS message in wire format, so a cached reply can be served with
 * its TTLs counted down without parsing and re-rendering it.
 */
public final class WireTtls {
    private static final int HEADER = 12;
    private static final int TYPE_OPT = 41;

    private WireTtls() {}

    /**
     * Returns the offsets of the TTL field of every resource record in the answer, authority and additional
     * sections, skipping OPT pseudo-records (whose "TTL" holds EDNS flags).
     *
     * @throws IllegalArgumentException when the message is malformed
     */
    public static int[] offsets(byte[] wire) {
        int qd = u16(wire, 4);
        int rr = u16(wire, 6) + u16(wire, 8) + u16(wire, 10);
        int pos = HEADER;
        for (int i = 0; i < qd; i++) {
            pos = skipName(wire, pos) + 4;
        }
        int[] out = new int[rr];
        int n = 0;
        for (int i = 0; i < rr; i++) {
            pos = skipName(wire, pos);
            check(wire, pos + 10);
            int type = u16(wire, pos);
            if (type != TYPE_OPT) {
                out[n++] = pos + 4;
            }
            pos += 10 + u16(wire, pos + 8);
        }
        check(wire, pos);
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** Subtracts {@code seconds} from every TTL of {@code wire} (not below 0), in place. */
    public static void subtract(byte[] wire, long seconds) {
        if (seconds <= 0) {
            return;
        }
        for (int offset : offsets(wire)) {
            long ttl = u32(wire, offset);
            putU32(wire, offset, Math.max(0, ttl - seconds));
        }
    }

    /** Returns the offset just past the (possibly compressed) name at {@code pos}. */
    public static int skipName(byte[] wire, int pos) {
        while (true) {
            check(wire, pos + 1);
            int len = wire[pos] & 0xff;
            if (len == 0) {
                return pos + 1;
            }
            if ((len & 0xc0) == 0xc0) {
                check(wire, pos + 2);
                return pos + 2;
            }
            if ((len & 0xc0) != 0) {
                throw new IllegalArgumentException("bad label type at offset " + pos);
            }
            pos += 1 + len;
        }
    }

    /** Reads the unsigned 16-bit value at {@code off}. */
    public static int u16(byte[] b, int off) {
        check(b, off + 2);
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    /** Reads the unsigned 32-bit value at {@code off}. */
    public static long u32(byte[] b, int off) {
        return ((long) (b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    /** Writes {@code v} as an unsigned 32-bit value at {@code off}. */
    public static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static void check(byte[] wire, int end) {
        if (end > wire.length) {
            throw new IllegalArgumentException("message ends early: needs " + end + " bytes, has " + wire.length);
        }
    }
}
