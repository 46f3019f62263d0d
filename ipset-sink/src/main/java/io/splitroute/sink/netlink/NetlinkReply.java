package io.splitroute.sink.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One message received from the kernel, copied out of the receive buffer: header fields and payload.
 *
 * <p>Whatever bytes arrive, parsing either yields well-formed messages or throws {@link NetlinkException}:
 * a header cut short, a length that is too small or runs past the datagram, an error message without its
 * errno, or extended-ack attributes out of bounds. The accessors of a parsed reply never fail.
 *
 * @param type {@code nlmsg_type} ({@link #NLMSG_ERROR}, {@link #NLMSG_DONE} or a subsystem message)
 * @param flags {@code nlmsg_flags}
 * @param seq the sequence number of the request this answers
 * @param payload the bytes after the 16-byte header
 */
public record NetlinkReply(int type, int flags, int seq, byte[] payload) {
    /** An ack (error 0) or an error. */
    public static final int NLMSG_ERROR = 2;
    /** End of a multipart (dump) reply. */
    public static final int NLMSG_DONE = 3;
    /** Set on an error whose echoed request was cut to its header. */
    public static final int NLM_F_CAPPED = 0x100;
    /** Set on an error followed by extended-ack attributes. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    private static final int HEADER = 16;
    private static final int NLMSGERR_ATTR_MSG = 1;

    /** Checks that an error message carries its errno. */
    public NetlinkReply {
        if (type == NLMSG_ERROR && payload.length < 4) {
            throw new IllegalArgumentException("an error message needs a 4-byte errno, got " + payload.length + " bytes");
        }
    }

    /**
     * Parses every message of one received datagram.
     *
     * @throws NetlinkException if the datagram is malformed (see the class comment)
     */
    public static List<NetlinkReply> parse(byte[] datagram) throws NetlinkException {
        List<NetlinkReply> replies = new ArrayList<>();
        parse(MemorySegment.ofArray(datagram), datagram.length, replies::add);
        return replies;
    }

    /**
     * Calls {@code sink} for every message in the first {@code length} bytes of {@code buffer}.
     *
     * @throws NetlinkException if those bytes are malformed; the messages before the bad one were passed on
     */
    public static void parse(MemorySegment buffer, int length, Consumer<NetlinkReply> sink) throws NetlinkException {
        checkLength(buffer, length);
        int offset = 0;
        while (offset < length) {
            int messageLength = messageLength(buffer, offset, length);
            sink.accept(read(buffer, offset, messageLength));
            offset = next(offset, messageLength);
        }
    }

    /** Checks that {@code length} received bytes fit {@code buffer}. */
    static void checkLength(MemorySegment buffer, int length) throws NetlinkException {
        if (length < 0 || length > buffer.byteSize()) {
            throw new NetlinkException("received length " + length + " outside a buffer of " + buffer.byteSize() + " bytes", 0);
        }
    }

    /**
     * Returns the length of the message at {@code offset} of the first {@code length} bytes of {@code buffer}
     * (which hold at least one byte from there), checked to cover its header and to end inside them.
     */
    static int messageLength(MemorySegment buffer, int offset, int length) throws NetlinkException {
        if (length - offset < HEADER) {
            throw new NetlinkException("malformed reply: " + (length - offset) + " bytes at offset " + offset
                    + " are too few for a message header", 0);
        }
        int messageLength = buffer.get(JAVA_INT_UNALIGNED, offset);
        if (messageLength < HEADER || messageLength > length - offset) {
            throw new NetlinkException("malformed reply: message length " + Integer.toUnsignedString(messageLength)
                    + " at offset " + offset + " of a " + length + "-byte datagram", 0);
        }
        return messageLength;
    }

    /** The offset after a message: its length aligned to 4 (the last message's padding may be left out). */
    static int next(int offset, int messageLength) {
        return offset + ((messageLength + 3) & ~3);
    }

    /** Copies the message of {@code messageLength} bytes at {@code offset} (checked by {@link #messageLength}) and checks its body. */
    static NetlinkReply read(MemorySegment buffer, int offset, int messageLength) throws NetlinkException {
        byte[] payload = new byte[messageLength - HEADER];
        MemorySegment.copy(buffer, JAVA_BYTE, offset + HEADER, payload, 0, payload.length);
        int type = Short.toUnsignedInt(buffer.get(JAVA_SHORT_UNALIGNED, offset + 4));
        int flags = Short.toUnsignedInt(buffer.get(JAVA_SHORT_UNALIGNED, offset + 6));
        if (type == NLMSG_ERROR) {
            checkError(flags, payload);
        }
        return new NetlinkReply(type, flags, buffer.get(JAVA_INT_UNALIGNED, offset + 8), payload);
    }

    /** An error message has its errno and, when flagged, extended-ack attributes within its payload. */
    private static void checkError(int flags, byte[] payload) throws NetlinkException {
        if (payload.length < 4) {
            throw new NetlinkException("malformed reply: an error message of " + payload.length + " payload bytes has no errno", 0);
        }
        if ((flags & NLM_F_ACK_TLVS) != 0) {
            int start = tlvStart(flags, payload);
            if (start < 0) {
                throw new NetlinkException("malformed reply: extended-ack attributes start outside the error message", 0);
            }
            NetlinkAttributes.parse(payload, start, payload.length);
        }
    }

    /** Where an error's extended-ack attributes start in its payload, or -1 if that lies outside it. */
    private static int tlvStart(int flags, byte[] payload) {
        long echoed;
        if ((flags & NLM_F_CAPPED) != 0) {
            echoed = HEADER;
        } else if (payload.length >= 8) {
            echoed = Integer.toUnsignedLong(NetlinkAttributes.u32(payload, 4));
        } else {
            return -1;
        }
        long start = 4 + ((echoed + 3) & ~3L);
        return echoed < HEADER || start > payload.length ? -1 : (int) start;
    }

    /** Returns whether this ends the replies to its request: an ack, an error, or the end of a dump. */
    public boolean isFinal() {
        return type == NLMSG_ERROR || type == NLMSG_DONE;
    }

    /** Returns whether this is an ack or error message. */
    public boolean isAck() {
        return type == NLMSG_ERROR;
    }

    /** Returns the positive errno of an error message, or 0 for an ack. */
    public int errno() {
        return isAck() ? -NetlinkAttributes.u32(payload, 0) : 0;
    }

    /**
     * Returns the echoed request of an error message (header included, as much of it as was echoed), or an
     * empty array if it was capped or is not there.
     */
    public byte[] echoedRequest() {
        if (!isAck() || (flags & NLM_F_CAPPED) != 0 || payload.length < 4 + HEADER) {
            return new byte[0];
        }
        int length = NetlinkAttributes.u32(payload, 4);
        if (length < HEADER) {
            return new byte[0];
        }
        return java.util.Arrays.copyOfRange(payload, 4, 4 + Math.min(length, payload.length - 4));
    }

    /** Returns the extended-ack message text of an error, or {@code null}. */
    public String extAckMessage() {
        if (!isAck() || (flags & NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int start = tlvStart(flags, payload);
        try {
            return start < 0 ? null : NetlinkAttributes.parse(payload, start, payload.length).string(NLMSGERR_ATTR_MSG);
        } catch (NetlinkException e) { // only for a reply made by hand: parsing checked the attributes
            return null;
        }
    }

    /**
     * Returns the attributes of a subsystem message whose payload starts with a 4-byte nfgenmsg.
     *
     * @throws NetlinkException if the payload is shorter than the nfgenmsg or an attribute is malformed
     */
    public NetlinkAttributes nfAttributes() throws NetlinkException {
        return NetlinkAttributes.parse(payload, 4, payload.length);
    }
}
