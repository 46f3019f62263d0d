package io.splitroute.sink.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * What fuzzing {@link NetlinkReplyFuzzTest} found in the reply parser, one test each, disabled until the
 * parser is fixed (then enable the test and drop the matching tolerance in the fuzz target).
 */
class NetlinkReplyFindingsTest {

    /**
     * An ipset protocol reply whose last attribute ({@code IPSET_ATTR_PROTOCOL}) has a header but no
     * payload: {@code u8} reads the byte after the message (ArrayIndexOutOfBoundsException) where
     * {@code u32} and {@code be32} return the fallback. Real replies end in such attributes too (the
     * corpus file {@code replies/nft-list-6.bin}, from {@code nft list set}).
     */
    /**
     * An error message whose echoed request header claims a length above 2^31 (negative as an int):
     * {@code echoedRequest} computes a negative end and {@code Arrays.copyOfRange} throws
     * IllegalArgumentException ("4 > -508"). Found after 171 runs (corpus file
     * {@code replies/crash-5dc85dea4c1fb394d0804098087e7c8b21de75a4}).
     */
    @Test
    @Disabled("fuzz finding in NetlinkReply.echoedRequest, for the ipset-sink owner: negative echoed length")
    void echoedRequest_lengthAbove2pow31_emptyOrCapped() {
        byte[] received = {
            40, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,      // nlmsghdr: 40 bytes, NLMSG_ERROR
            -1, -1, -1, -1,                                          // error -1 (EPERM)
            0, -2, -1, -1, 0x09, 0x06, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, // echoed header, nlmsg_len 0xfffffe00
            2, 0, 0, 0,                                              // echoed nfgenmsg
        };
        List<NetlinkReply> replies = new ArrayList<>();
        NetlinkReply.parse(MemorySegment.ofArray(received), received.length, replies::add);

        assertThat(replies).hasSize(1);
        assertThat(replies.getFirst().errno()).isEqualTo(1);
        assertThat(replies.getFirst().echoedRequest().length).isLessThanOrEqualTo(20);
    }

    /**
     * The same claimed length in an error carrying extended-ack attributes: {@code extAckMessage} starts
     * reading attributes at a negative offset (ArrayIndexOutOfBoundsException). Found after 1 055 runs
     * (corpus file {@code replies/crash-0314ce53c7874fb296a8c5f1330b487842b661c3}).
     */
    @Test
    @Disabled("fuzz finding in NetlinkReply.extAckMessage, for the ipset-sink owner: negative echoed length")
    void extAckMessage_echoedLengthAbove2pow31_null() {
        byte[] received = {
            40, 0, 0, 0, 0x02, 0, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: NLMSG_ERROR, NLM_F_ACK_TLVS
            -2, -1, -1, -1,                                          // error -2 (ENOENT)
            0, -2, -1, -1, 0x09, 0x06, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, // echoed header, nlmsg_len 0xfffffe00
            2, 0, 0, 0,                                              // echoed nfgenmsg
        };
        List<NetlinkReply> replies = new ArrayList<>();
        NetlinkReply.parse(MemorySegment.ofArray(received), received.length, replies::add);

        assertThat(replies).hasSize(1);
        assertThat(replies.getFirst().extAckMessage()).isNull();
    }

    /**
     * A second message whose length field is 0x7fffffff: {@code offset + messageLength} overflows to a
     * negative number, passes the bounds check, and {@code copy} allocates a 2 GB payload (OutOfMemoryError
     * in the fuzzer). {@code NetlinkExchange.takeAcks} checks lengths the same way. Found after 5 586 runs
     * (corpus file {@code replies/crash-7e7c70119612fa3655cb2ee797bc3cf270689d07}).
     */
    @Test
    @Disabled("fuzz finding in NetlinkReply.parse, for the ipset-sink owner: int overflow in the bounds check")
    void parse_lengthThatOverflowsTheBoundsCheck_stops() {
        byte[] received = {
            16, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,            // NLMSG_DONE, 16 bytes
            -1, -1, -1, 0x7f, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // length 0x7fffffff
        };
        List<NetlinkReply> replies = new ArrayList<>();
        NetlinkReply.parse(MemorySegment.ofArray(received), received.length, replies::add);

        assertThat(replies).hasSize(1);
    }

    /**
     * An error message cut to its header (no error code): {@code errno} reads past the empty payload
     * (ArrayIndexOutOfBoundsException). Found after 187 082 runs (corpus file
     * {@code replies/crash-bb8637207a3bb5c21144903b647b1e168d98f7a6}).
     */
    @Test
    @Disabled("fuzz finding in NetlinkReply.errno, for the ipset-sink owner: no length check")
    void errno_errorWithoutPayload_reportedNotThrown() {
        byte[] received = {16, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // NLMSG_ERROR, header only
        List<NetlinkReply> replies = new ArrayList<>();
        NetlinkReply.parse(MemorySegment.ofArray(received), received.length, replies::add);

        assertThat(replies).hasSize(1);
        assertThat(replies.getFirst().errno()).isNotZero(); // not an ack: no error code is no success
    }

    @Test
    @Disabled("fuzz finding in NetlinkAttributes.u8, for the ipset-sink owner: no length check")
    void u8_emptyAttributeAtTheEnd_fallback() {
        byte[] received = {
            24, 0, 0, 0, 0x01, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // nlmsghdr: 24 bytes, IPSET_CMD_PROTOCOL
            2, 0, 0, 0,                                              // nfgenmsg: AF_INET
            4, 0, 1, 0,                                              // attribute 1, length 4: no payload
        };
        List<NetlinkReply> replies = new ArrayList<>();
        NetlinkReply.parse(MemorySegment.ofArray(received), received.length, replies::add);

        assertThat(replies).hasSize(1);
        assertThat(replies.getFirst().nfAttributes().u8(1, -1)).isEqualTo(-1);
    }
}
