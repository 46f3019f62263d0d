package io.splitroute.sink.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * One message received from the kernel, copied out of the receive buffer: header fields and payload.
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

    /** Calls {@code sink} for every message in the first {@code length} bytes of {@code buffer}. */
    public static void parse(MemorySegment buffer, int length, Consumer<NetlinkReply> sink) {
        int offset = 0;
        while (offset + 16 <= length) {
            int messageLength = buffer.get(JAVA_INT_UNALIGNED, offset);
            if (messageLength < 16 || offset + messageLength > length) {
                return;
            }
            sink.accept(copy(buffer, offset, messageLength));
            offset += (messageLength + 3) & ~3;
        }
    }

    /** Copies the message of {@code messageLength} bytes at {@code offset} of {@code buffer} (checked by the caller). */
    static NetlinkReply copy(MemorySegment buffer, int offset, int messageLength) {
        byte[] payload = new byte[messageLength - 16];
        MemorySegment.copy(buffer, java.lang.foreign.ValueLayout.JAVA_BYTE, offset + 16, payload, 0, payload.length);
        return new NetlinkReply(
                Short.toUnsignedInt(buffer.get(JAVA_SHORT_UNALIGNED, offset + 4)),
                Short.toUnsignedInt(buffer.get(JAVA_SHORT_UNALIGNED, offset + 6)),
                buffer.get(JAVA_INT_UNALIGNED, offset + 8),
                payload);
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

    /** Returns the echoed request of an error message (header included), or an empty array if capped. */
    public byte[] echoedRequest() {
        if (!isAck() || (flags & NLM_F_CAPPED) != 0 || payload.length < 20) {
            return new byte[0];
        }
        int length = Math.min(NetlinkAttributes.u32(payload, 4), payload.length - 4);
        return java.util.Arrays.copyOfRange(payload, 4, 4 + length);
    }

    /** Returns the extended-ack message text of an error, or {@code null}. */
    public String extAckMessage() {
        if (!isAck() || (flags & NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int echoed = (flags & NLM_F_CAPPED) != 0 ? 16 : NetlinkAttributes.u32(payload, 4);
        NetlinkAttributes tlvs = NetlinkAttributes.parse(payload, 4 + ((echoed + 3) & ~3), payload.length);
        return tlvs.string(1);
    }

    /** Returns the attributes of a subsystem message whose payload starts with a 4-byte nfgenmsg. */
    public NetlinkAttributes nfAttributes() {
        return NetlinkAttributes.parse(payload, 4, payload.length);
    }
}
