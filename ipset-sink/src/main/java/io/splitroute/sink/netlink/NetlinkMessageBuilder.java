package io.splitroute.sink.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes netlink messages with nfnetlink headers and nested attributes into one growable native buffer,
 * so that many messages go to the kernel in one {@code send}.
 *
 * <p>Usage: {@code begin(type, flags, seq)}, {@code nfgen(...)}, attributes ({@code beginNested} /
 * {@code endNested} around nested ones), {@code end()}; repeat; then send {@code segment()} up to
 * {@code size()}. Not thread-safe.
 */
public final class NetlinkMessageBuilder {
    /** Flag set on nested attributes. */
    public static final int NLA_F_NESTED = 0x8000;
    /** Flag set on attributes whose payload is in network byte order. */
    public static final int NLA_F_NET_BYTEORDER = 0x4000;

    private static final ValueLayout.OfInt BE_INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment buffer;
    private long position;
    private long messageStart = -1;

    /** Creates a builder whose buffer starts at {@code initialCapacity} bytes and grows as needed. */
    public NetlinkMessageBuilder(int initialCapacity) {
        if (initialCapacity < 64) {
            throw new IllegalArgumentException("initialCapacity must be >= 64: " + initialCapacity);
        }
        buffer = Arena.ofAuto().allocate(initialCapacity, 8);
    }

    /** Forgets every message written so far. */
    public void reset() {
        position = 0;
        messageStart = -1;
    }

    /** Returns the buffer holding the messages (valid up to {@link #size()}). */
    public MemorySegment segment() {
        return buffer;
    }

    /** Returns the number of bytes written. */
    public long size() {
        return position;
    }

    /** Starts a message: writes a {@code nlmsghdr} whose length {@link #end()} fills in. */
    public void begin(int type, int flags, int seq) {
        if (messageStart >= 0) {
            throw new IllegalStateException("message at " + messageStart + " not ended");
        }
        ensure(16);
        messageStart = position;
        buffer.set(JAVA_INT_UNALIGNED, position, 0);
        buffer.set(JAVA_SHORT_UNALIGNED, position + 4, (short) type);
        buffer.set(JAVA_SHORT_UNALIGNED, position + 6, (short) flags);
        buffer.set(JAVA_INT_UNALIGNED, position + 8, seq);
        buffer.set(JAVA_INT_UNALIGNED, position + 12, 0);
        position += 16;
    }

    /** Writes the nfnetlink header ({@code struct nfgenmsg}): family, version 0, big-endian resource id. */
    public void nfgen(int family, int resourceId) {
        ensure(4);
        buffer.set(JAVA_BYTE, position, (byte) family);
        buffer.set(JAVA_BYTE, position + 1, (byte) 0);
        buffer.set(BE_SHORT, position + 2, (short) resourceId);
        position += 4;
    }

    /** Ends the current message, filling in its length. */
    public void end() {
        buffer.set(JAVA_INT_UNALIGNED, messageStart, (int) (position - messageStart));
        messageStart = -1;
    }

    /** Drops everything written from {@code mark} (a value of {@link #size()}) on, e.g. an unfinished message. */
    public void truncate(long mark) {
        position = mark;
        if (messageStart >= mark) {
            messageStart = -1;
        }
    }

    /** Opens a nested attribute; returns the mark to pass to {@link #endNested(long)}. */
    public long beginNested(int type) {
        ensure(4);
        long start = position;
        buffer.set(JAVA_SHORT_UNALIGNED, position + 2, (short) (type | NLA_F_NESTED));
        position += 4;
        return start;
    }

    /** Closes the nested attribute opened at {@code mark}. */
    public void endNested(long mark) {
        long length = position - mark;
        if (length > 0xffff) {
            throw new IllegalStateException("nested attribute of " + length + " bytes exceeds netlink's 65535");
        }
        buffer.set(JAVA_SHORT_UNALIGNED, mark, (short) length);
    }

    /** Writes a u8 attribute. */
    public void putU8(int type, int value) {
        header(type, 1);
        buffer.set(JAVA_BYTE, position, (byte) value);
        buffer.set(JAVA_BYTE, position + 1, (byte) 0);
        buffer.set(JAVA_SHORT_UNALIGNED, position + 2, (short) 0);
        position += 4;
    }

    /** Writes a u32 attribute in host byte order. */
    public void putU32(int type, int value) {
        header(type, 4);
        buffer.set(JAVA_INT_UNALIGNED, position, value);
        position += 4;
    }

    /** Writes a u32 attribute in network byte order, flagged {@link #NLA_F_NET_BYTEORDER}. */
    public void putNetU32(int type, int value) {
        header(type | NLA_F_NET_BYTEORDER, 4);
        buffer.set(BE_INT, position, value);
        position += 4;
    }

    /** Writes a big-endian u32 attribute without the byte-order flag (nftables style). */
    public void putBe32(int type, int value) {
        header(type, 4);
        buffer.set(BE_INT, position, value);
        position += 4;
    }

    /** Writes a big-endian u64 attribute (nftables style). */
    public void putBe64(int type, long value) {
        header(type, 8);
        buffer.set(BE_LONG, position, value);
        position += 8;
    }

    /** Writes a binary attribute, padded to 4 bytes. */
    public void putBytes(int type, byte[] value) {
        header(type, value.length);
        MemorySegment.copy(value, 0, buffer, JAVA_BYTE, position, value.length);
        pad(value.length);
    }

    /** Writes a NUL-terminated string attribute. */
    public void putString(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        header(type, bytes.length + 1);
        MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, position, bytes.length);
        buffer.set(JAVA_BYTE, position + bytes.length, (byte) 0);
        pad(bytes.length + 1);
    }

    private void header(int type, int payload) {
        ensure(4 + payload + 3);
        buffer.set(JAVA_SHORT_UNALIGNED, position, (short) (4 + payload));
        buffer.set(JAVA_SHORT_UNALIGNED, position + 2, (short) type);
        position += 4;
    }

    private void pad(int written) {
        int aligned = (written + 3) & ~3;
        for (int i = written; i < aligned; i++) {
            buffer.set(JAVA_BYTE, position + i, (byte) 0);
        }
        position += aligned;
    }

    private void ensure(long more) {
        if (position + more <= buffer.byteSize()) {
            return;
        }
        long capacity = Math.max(buffer.byteSize() * 2, position + more);
        MemorySegment larger = Arena.ofAuto().allocate(capacity, 8);
        MemorySegment.copy(buffer, 0, larger, 0, position);
        buffer = larger;
    }
}
