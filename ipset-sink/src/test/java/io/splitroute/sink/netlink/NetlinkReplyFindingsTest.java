package io.splitroute.sink.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What fuzzing {@link NetlinkReplyFuzzTest} found in the reply parser, one test each: every input is
 * either parsed into messages whose accessors do not fail, or refused with a {@link NetlinkException}
 * (never an index error, a negative array size or a 2 GB allocation). The crash inputs are in the corpus.
 */
class NetlinkReplyFindingsTest {

    private static List<NetlinkReply> parse(byte[] received) throws NetlinkException {
        List<NetlinkReply> replies = new ArrayList<>();
        NetlinkReply.parse(MemorySegment.ofArray(received), received.length, replies::add);
        return replies;
    }

    /**
     * An error message whose echoed request header claims a length above 2^31 (negative as an int): the
     * echoed request is empty rather than a copy with a negative end (corpus file
     * {@code replies/crash-5dc85dea4c1fb394d0804098087e7c8b21de75a4}).
     */
    @Test
    void echoedRequest_lengthAbove2pow31_empty() throws Exception {
        byte[] received = {
            40, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,      // nlmsghdr: 40 bytes, NLMSG_ERROR
            -1, -1, -1, -1,                                          // error -1 (EPERM)
            0, -2, -1, -1, 0x09, 0x06, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, // echoed header, nlmsg_len 0xfffffe00
            2, 0, 0, 0,                                              // echoed nfgenmsg
        };
        List<NetlinkReply> replies = parse(received);

        assertThat(replies).hasSize(1);
        assertThat(replies.getFirst().errno()).isEqualTo(1);
        assertThat(replies.getFirst().echoedRequest()).isEmpty();
    }

    /**
     * The same claimed length in an error flagged as carrying extended-ack attributes: the attributes would
     * start outside the message, so the reply is refused (corpus file
     * {@code replies/crash-0314ce53c7874fb296a8c5f1330b487842b661c3}).
     */
    @Test
    void extAck_echoedLengthAbove2pow31_refused() {
        byte[] received = {
            40, 0, 0, 0, 0x02, 0, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: NLMSG_ERROR, NLM_F_ACK_TLVS
            -2, -1, -1, -1,                                          // error -2 (ENOENT)
            0, -2, -1, -1, 0x09, 0x06, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, // echoed header, nlmsg_len 0xfffffe00
            2, 0, 0, 0,                                              // echoed nfgenmsg
        };

        assertThatThrownBy(() -> parse(received)).isInstanceOf(NetlinkException.class)
                .hasMessageContaining("extended-ack attributes start outside");
    }

    /**
     * A second message whose length field is 0x7fffffff: {@code offset + length} would overflow, so the
     * bounds check compares against what is left instead; the first message is passed on, the second
     * refused, nothing of 2 GB is allocated (corpus file {@code replies/crash-7e7c70119612fa3655cb2ee797bc3cf270689d07}).
     * {@code NetlinkExchange} frames the messages it reads for acks with the same check.
     */
    @Test
    void parse_lengthThatWouldOverflowTheBoundsCheck_refusedAfterTheGoodMessage() {
        byte[] received = {
            16, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,            // NLMSG_DONE, 16 bytes
            -1, -1, -1, 0x7f, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // length 0x7fffffff
        };
        List<NetlinkReply> replies = new ArrayList<>();

        assertThatThrownBy(() -> NetlinkReply.parse(MemorySegment.ofArray(received), received.length, replies::add))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("message length 2147483647");
        assertThat(replies).hasSize(1);
        assertThat(replies.getFirst().type()).isEqualTo(NetlinkReply.NLMSG_DONE);
    }

    /**
     * An error message cut to its header (no error code) is refused: read as an ack it would pass for
     * success (corpus file {@code replies/crash-bb8637207a3bb5c21144903b647b1e168d98f7a6}).
     */
    @Test
    void parse_errorWithoutErrno_refused() {
        byte[] received = {16, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // NLMSG_ERROR, header only

        assertThatThrownBy(() -> parse(received)).isInstanceOf(NetlinkException.class).hasMessageContaining("no errno");
    }

    /**
     * An ipset protocol reply whose last attribute has a header but no payload: {@code u8} gives the
     * fallback like {@code u32} and {@code be32} (real replies end in such attributes too: the corpus file
     * {@code replies/nft-list-6.bin}, from {@code nft list set}).
     */
    @Test
    void u8_emptyAttributeAtTheEnd_fallback() throws Exception {
        byte[] received = {
            24, 0, 0, 0, 0x01, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // nlmsghdr: 24 bytes, IPSET_CMD_PROTOCOL
            2, 0, 0, 0,                                              // nfgenmsg: AF_INET
            4, 0, 1, 0,                                              // attribute 1, length 4: no payload
        };
        List<NetlinkReply> replies = parse(received);

        assertThat(replies).hasSize(1);
        assertThat(replies.getFirst().nfAttributes().has(1)).isTrue();
        assertThat(replies.getFirst().nfAttributes().u8(1, -1)).isEqualTo(-1);
    }

    /**
     * The ack reader of the write path frames the messages of a receive with the same check: an ack for the
     * request, then a message claiming 0x7fffffff bytes, is refused with a NetlinkException instead of an
     * index error past the receive buffer.
     */
    @Test
    void exchangeAcks_lengthThatWouldOverflowTheBoundsCheck_refused() throws Exception {
        byte[] received = {
            36, 0, 0, 0, 0x02, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0,            // NLMSG_ERROR (ack), seq 7
            0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0,   // error 0, echoed header
            -1, -1, -1, 0x7f, 0x02, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0,        // length 0x7fffffff
        };
        NetlinkExchange exchange = new NetlinkExchange(new OneReceive(received), 4096);
        NetlinkMessageBuilder request = new NetlinkMessageBuilder(64);
        request.begin(1, 0x5, 7);
        request.end();

        assertThatThrownBy(() -> exchange.exchangeAcks(request, new int[] {7, 8}, 2, 1_000_000L))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("message length 2147483647");
    }

    /** A channel that sends nowhere and receives {@code datagram} once, then nothing. */
    private static final class OneReceive implements NetlinkChannel {
        private final byte[] datagram;
        private boolean received;

        OneReceive(byte[] datagram) {
            this.datagram = datagram;
        }

        @Override
        public int nextSequence() {
            return 7;
        }

        @Override
        public void send(MemorySegment buffer, long length) {
        }

        @Override
        public int receiveNow(MemorySegment buffer) {
            if (received) {
                return -1;
            }
            received = true;
            MemorySegment.copy(MemorySegment.ofArray(datagram), 0, buffer, 0, datagram.length);
            return datagram.length;
        }

        @Override
        public boolean awaitReadable(long timeoutNanos) {
            return !received;
        }

        @Override
        public void close() {
        }
    }
}
