package io.splitroute.sink.netlink;

import java.nio.charset.StandardCharsets;

/**
 * The attributes of one level of a received message, indexed by type (flags masked off); later
 * attributes of the same type replace earlier ones. Nested levels are parsed with {@link #nested(int)}.
 * Parsing checks every length against the bytes it was given: an attribute that is shorter than its
 * header or runs past the end of its level is a {@link NetlinkException}, never an index error.
 */
public final class NetlinkAttributes {
    private static final java.lang.invoke.VarHandle HOST_SHORT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(short[].class, java.nio.ByteOrder.nativeOrder());
    private static final java.lang.invoke.VarHandle HOST_INT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.nativeOrder());
    private static final int TYPE_MASK = 0x3fff;
    private static final int MAX_TYPE = 64;

    private final byte[] data;
    private final int[] offsets = new int[MAX_TYPE];
    private final int[] lengths = new int[MAX_TYPE];

    private NetlinkAttributes(byte[] data) {
        this.data = data;
        java.util.Arrays.fill(offsets, -1);
    }

    /**
     * Parses the attributes in {@code data[from, to)}; up to 3 bytes of padding after the last are allowed.
     *
     * @throws NetlinkException if the range lies outside {@code data} or an attribute's length is shorter
     *     than its 4-byte header or reaches past {@code to}
     */
    public static NetlinkAttributes parse(byte[] data, int from, int to) throws NetlinkException {
        if (from < 0 || from > to || to > data.length) {
            throw new NetlinkException("malformed reply: attributes at [" + from + ", " + to + ") of a "
                    + data.length + "-byte payload", 0);
        }
        NetlinkAttributes attributes = new NetlinkAttributes(data);
        int offset = from;
        while (to - offset >= 4) {
            int length = u16(data, offset);
            int type = u16(data, offset + 2) & TYPE_MASK;
            if (length < 4 || length > to - offset) {
                throw new NetlinkException("malformed reply: attribute " + type + " of " + length + " bytes at offset "
                        + offset + " of a level ending at " + to, 0);
            }
            if (type < MAX_TYPE) {
                attributes.offsets[type] = offset + 4;
                attributes.lengths[type] = length - 4;
            }
            offset += (length + 3) & ~3;
        }
        return attributes;
    }

    /** Returns whether an attribute of {@code type} is present. */
    public boolean has(int type) {
        return type < MAX_TYPE && offsets[type] >= 0;
    }

    /** Parses the nested attribute {@code type}; empty if absent. */
    public NetlinkAttributes nested(int type) throws NetlinkException {
        return has(type) ? parse(data, offsets[type], offsets[type] + lengths[type]) : new NetlinkAttributes(data);
    }

    /** Returns the u8 attribute {@code type}, or {@code fallback} if absent. */
    public int u8(int type, int fallback) {
        return has(type) && lengths[type] >= 1 ? data[offsets[type]] & 0xff : fallback;
    }

    /** Returns the host-order u32 attribute {@code type}, or {@code fallback} if absent. */
    public int u32(int type, int fallback) {
        return has(type) && lengths[type] >= 4 ? u32(data, offsets[type]) : fallback;
    }

    /** Returns the big-endian u32 attribute {@code type}, or {@code fallback} if absent. */
    public long be32(int type, long fallback) {
        if (!has(type) || lengths[type] < 4) {
            return fallback;
        }
        int o = offsets[type];
        return ((data[o] & 0xffL) << 24) | ((data[o + 1] & 0xffL) << 16) | ((data[o + 2] & 0xffL) << 8) | (data[o + 3] & 0xffL);
    }

    /** Returns the big-endian u64 attribute {@code type}, or {@code fallback} if absent. */
    public long be64(int type, long fallback) {
        if (!has(type) || lengths[type] < 8) {
            return fallback;
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (data[offsets[type] + i] & 0xffL);
        }
        return value;
    }

    /** Returns the NUL-terminated string attribute {@code type}, or {@code null} if absent. */
    public String string(int type) {
        if (!has(type)) {
            return null;
        }
        int end = offsets[type];
        int limit = offsets[type] + lengths[type];
        while (end < limit && data[end] != 0) {
            end++;
        }
        return new String(data, offsets[type], end - offsets[type], StandardCharsets.UTF_8);
    }

    static int u16(byte[] data, int offset) {
        return Short.toUnsignedInt((short) HOST_SHORT.get(data, offset));
    }

    static int u32(byte[] data, int offset) {
        return (int) HOST_INT.get(data, offset);
    }
}
