package io.splitroute.sink.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for the netlink reply parser: whatever bytes a receive returns, splitting them into
 * messages and reading each one the way the ipset and nftables writers do (errno, echoed request,
 * extended-ack text, attributes and nested attributes) never throws.
 *
 * <p>The seed corpus ({@code NetlinkReplyFuzzTestInputs/replies/}) holds real kernel replies, one receive
 * per file, captured from {@code ipset} and {@code nft} in a network namespace. To fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl ipset-sink test -Dtest=NetlinkReplyFuzzTest}.
 */
class NetlinkReplyFuzzTest {
    private static final int ATTR_TYPES = 64;

    @FuzzTest(maxDuration = "10m")
    void replies(byte[] received) {
        List<NetlinkReply> replies = new ArrayList<>();
        int length = beforeOverflowingLength(received);
        NetlinkReply.parse(MemorySegment.ofArray(received), length, replies::add);
        for (NetlinkReply reply : replies) {
            assertThat(reply.payload().length + 16).isLessThanOrEqualTo(length);
            if (reply.isAck()) {
                errnoKnownFinding(reply);
                byte[] echoed = echoedRequestKnownFinding(reply);
                if (echoed.length > 20) {
                    readAll(NetlinkAttributes.parse(echoed, 20, echoed.length), 1);
                }
                extAckMessageKnownFinding(reply);
            }
            readAll(reply.nfAttributes(), 2);
        }
    }

    /**
     * How much of {@code received} to parse, tolerating the known finding: a message length that makes
     * {@code offset + length} overflow passes the parser's bounds check and allocates up to 2 GB
     * ({@link NetlinkReplyFindingsTest#parse_lengthThatOverflowsTheBoundsCheck_stops}); the input is cut
     * before such a message. Remove with the fix.
     */
    private static int beforeOverflowingLength(byte[] received) {
        int offset = 0;
        while (offset + 16 <= received.length) {
            int messageLength = NetlinkAttributes.u32(received, offset);
            if (messageLength < 16) {
                break;
            }
            if (offset + messageLength < 0) {
                return offset;
            }
            if (offset + messageLength > received.length) {
                break;
            }
            offset += (messageLength + 3) & ~3;
        }
        return received.length;
    }

    /**
     * The error code, tolerating the known finding: an error message without payload makes it read past
     * the end ({@link NetlinkReplyFindingsTest#errno_errorWithoutPayload_reportedNotThrown}). Remove with
     * the fix.
     */
    private static void errnoKnownFinding(NetlinkReply reply) {
        try {
            reply.errno();
        } catch (IndexOutOfBoundsException knownFinding) {
            // reproduced and reported by NetlinkReplyFindingsTest
        }
    }

    /**
     * The echoed request, tolerating the known finding: a claimed length above 2^31 throws
     * ({@link NetlinkReplyFindingsTest#echoedRequest_lengthAbove2pow31_emptyOrCapped}). Remove with the fix.
     */
    private static byte[] echoedRequestKnownFinding(NetlinkReply reply) {
        try {
            return reply.echoedRequest();
        } catch (IllegalArgumentException knownFinding) {
            return new byte[0]; // reproduced and reported by NetlinkReplyFindingsTest
        }
    }

    /**
     * The extended-ack text, tolerating the known finding: a claimed echoed length above 2^31 makes it read
     * at a negative offset ({@link NetlinkReplyFindingsTest#extAckMessage_echoedLengthAbove2pow31_null}).
     * Remove with the fix.
     */
    private static void extAckMessageKnownFinding(NetlinkReply reply) {
        try {
            reply.extAckMessage();
        } catch (IndexOutOfBoundsException knownFinding) {
            // reproduced and reported by NetlinkReplyFindingsTest
        }
    }

    /**
     * Reads a u8 attribute, tolerating the one known finding so fuzzing goes on past it: {@code u8} of a
     * present attribute with no payload reads past the message
     * ({@link NetlinkReplyFindingsTest#u8_emptyAttributeAtTheEnd_fallback}). Remove with the fix.
     */
    private static void u8KnownFinding(NetlinkAttributes attributes, int type) {
        try {
            attributes.u8(type, 0);
        } catch (ArrayIndexOutOfBoundsException knownFinding) {
            // reproduced and reported by NetlinkReplyFindingsTest
        }
    }

    /** Reads every attribute type with every accessor, and nested levels down to {@code depth}. */
    private static void readAll(NetlinkAttributes attributes, int depth) {
        for (int type = 0; type < ATTR_TYPES; type++) {
            if (!attributes.has(type)) {
                continue;
            }
            u8KnownFinding(attributes, type);
            attributes.u32(type, 0);
            attributes.be32(type, 0);
            attributes.be64(type, 0);
            attributes.string(type);
            if (depth > 0) {
                readAll(attributes.nested(type), depth - 1);
            }
        }
    }
}
