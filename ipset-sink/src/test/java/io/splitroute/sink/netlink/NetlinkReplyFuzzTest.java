package io.splitroute.sink.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for the netlink reply parser: whatever bytes a receive returns, splitting them into
 * messages and reading each one the way the ipset and nftables writers do (errno, echoed request,
 * extended-ack text, attributes and nested attributes) either works or is refused with a
 * {@link NetlinkException}; nothing else is thrown.
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
        try {
            NetlinkReply.parse(MemorySegment.ofArray(received), received.length, replies::add);
        } catch (NetlinkException malformed) {
            // refused: the messages before the bad one were passed on and are read below
        }
        for (NetlinkReply reply : replies) {
            assertThat(reply.payload().length + 16).isLessThanOrEqualTo(received.length);
            if (reply.isAck()) {
                reply.errno();
                byte[] echoed = reply.echoedRequest();
                assertThat(echoed.length).isLessThanOrEqualTo(reply.payload().length - 4);
                if (echoed.length > 20) {
                    readAll(attributesOrNull(echoed, 20, echoed.length), 1);
                }
                reply.extAckMessage();
            }
            readAll(attributesOrNull(reply.payload(), 4, reply.payload().length), 2);
        }
    }

    /** The attributes in {@code data[from, to)}, or {@code null} when they are malformed (a refusal, not a crash). */
    private static NetlinkAttributes attributesOrNull(byte[] data, int from, int to) {
        try {
            return NetlinkAttributes.parse(data, from, to);
        } catch (NetlinkException malformed) {
            return null;
        }
    }

    /** Reads every attribute type with every accessor, and nested levels down to {@code depth}. */
    private static void readAll(NetlinkAttributes attributes, int depth) {
        if (attributes == null) {
            return;
        }
        for (int type = 0; type < ATTR_TYPES; type++) {
            if (!attributes.has(type)) {
                continue;
            }
            attributes.u8(type, 0);
            attributes.u32(type, 0);
            attributes.be32(type, 0);
            attributes.be64(type, 0);
            attributes.string(type);
            if (depth > 0) {
                NetlinkAttributes nested;
                try {
                    nested = attributes.nested(type);
                } catch (NetlinkException malformed) {
                    continue; // a nested level that does not parse is refused, not read
                }
                readAll(nested, depth - 1);
            }
        }
    }
}
