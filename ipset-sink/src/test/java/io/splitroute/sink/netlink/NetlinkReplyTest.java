package io.splitroute.sink.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reply parsing takes any bytes: well-formed messages come out, anything else is a NetlinkException. */
class NetlinkReplyTest {
    private static final int NEWSET = 10 << 8 | 9;

    /** A message: 16-byte header with {@code length} as its length field, then {@code payload}. */
    private static byte[] message(int length, int type, int flags, int seq, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload.length).order(ByteOrder.nativeOrder());
        b.putInt(length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0).put(payload);
        return b.array();
    }

    private static byte[] message(int type, int flags, int seq, byte[] payload) {
        return message(16 + payload.length, type, flags, seq, payload);
    }

    /** An attribute: 4-byte header with {@code length} as its length field, then {@code value}, padded. */
    private static byte[] attribute(int length, int type, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(4 + ((value.length + 3) & ~3)).order(ByteOrder.nativeOrder());
        b.putShort((short) length).putShort((short) type).put(value);
        return b.array();
    }

    private static byte[] attribute(int type, byte[] value) {
        return attribute(4 + value.length, type, value);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            b.put(part);
        }
        return b.array();
    }

    private static byte[] errnoPayload(int errno, byte[] echoedHeader) {
        ByteBuffer b = ByteBuffer.allocate(4 + echoedHeader.length).order(ByteOrder.nativeOrder());
        return b.putInt(-errno).put(echoedHeader).array();
    }

    @Test
    void parse_twoMessages_bothComeOutWithTheirFields() throws Exception {
        byte[] nfgen = {2, 0, 0, 0};
        byte[] datagram = concat(message(NEWSET, 0, 7, concat(nfgen, attribute(2, "s\0".getBytes()))),
                message(NetlinkReply.NLMSG_ERROR, NetlinkReply.NLM_F_CAPPED, 7, errnoPayload(0, message(16, 0, 7, new byte[0]))));

        List<NetlinkReply> replies = NetlinkReply.parse(datagram);

        assertThat(replies).hasSize(2);
        assertThat(replies.get(0).nfAttributes().string(2)).isEqualTo("s");
        assertThat(replies.get(1).isFinal()).isTrue();
        assertThat(replies.get(1).errno()).isZero();
        assertThat(replies.get(1).seq()).isEqualTo(7);
    }

    @Test
    void parse_truncatedHeader_isRejected() {
        byte[] datagram = Arrays.copyOf(message(NetlinkReply.NLMSG_DONE, 0, 1, new byte[4]), 11);

        assertThatThrownBy(() -> NetlinkReply.parse(datagram)).isInstanceOf(NetlinkException.class)
                .hasMessageContaining("too few for a message header");
    }

    @Test
    void parse_lengthBeyondTheDatagram_isRejected() {
        byte[] datagram = message(4096, NetlinkReply.NLMSG_DONE, 0, 1, new byte[4]);

        assertThatThrownBy(() -> NetlinkReply.parse(datagram)).isInstanceOf(NetlinkException.class)
                .hasMessageContaining("message length 4096");
    }

    @Test
    void parse_lengthShorterThanTheHeader_isRejected() {
        byte[] datagram = message(8, NetlinkReply.NLMSG_DONE, 0, 1, new byte[4]);

        assertThatThrownBy(() -> NetlinkReply.parse(datagram)).isInstanceOf(NetlinkException.class);
    }

    @Test
    void parse_lengthThatOverflowsAnInt_isRejectedWithoutAllocating() {
        byte[] first = message(NetlinkReply.NLMSG_DONE, 0, 1, new byte[4]);
        byte[] datagram = concat(first, message(0x7ffffff0, NetlinkReply.NLMSG_DONE, 0, 2, new byte[4]));

        assertThatThrownBy(() -> NetlinkReply.parse(datagram)).isInstanceOf(NetlinkException.class);
        byte[] negative = message(0x80000010, NetlinkReply.NLMSG_DONE, 0, 2, new byte[4]);
        assertThatThrownBy(() -> NetlinkReply.parse(negative)).isInstanceOf(NetlinkException.class);
    }

    @Test
    void parse_errorWithoutErrno_isRejected() {
        byte[] datagram = message(NetlinkReply.NLMSG_ERROR, 0, 1, new byte[2]);

        assertThatThrownBy(() -> NetlinkReply.parse(datagram)).isInstanceOf(NetlinkException.class)
                .hasMessageContaining("no errno");
    }

    @Test
    void parse_extAckAttributesOutOfBounds_areRejected() {
        byte[] echoed = message(16, 0, 1, new byte[0]);
        byte[] badTlv = attribute(200, 1, "no such set\0".getBytes());
        byte[] datagram = message(NetlinkReply.NLMSG_ERROR, NetlinkReply.NLM_F_CAPPED | NetlinkReply.NLM_F_ACK_TLVS, 1,
                concat(errnoPayload(Errno.ENOENT, echoed), badTlv));

        assertThatThrownBy(() -> NetlinkReply.parse(datagram)).isInstanceOf(NetlinkException.class)
                .hasMessageContaining("attribute 1 of 200 bytes");
    }

    @Test
    void parse_echoedLengthPastTheEnd_isRejectedWhenExtAckFollows() {
        byte[] echoed = message(9999, 0, 0, 1, new byte[0]); // an uncapped echo claiming 9999 bytes
        byte[] datagram = message(NetlinkReply.NLMSG_ERROR, NetlinkReply.NLM_F_ACK_TLVS, 1,
                concat(errnoPayload(Errno.EINVAL, echoed), attribute(1, "x\0".getBytes())));

        assertThatThrownBy(() -> NetlinkReply.parse(datagram)).isInstanceOf(NetlinkException.class);
    }

    @Test
    void parse_wellFormedExtAck_givesItsText() throws Exception {
        byte[] echoed = message(16, 0, 1, new byte[0]);
        byte[] datagram = message(NetlinkReply.NLMSG_ERROR, NetlinkReply.NLM_F_CAPPED | NetlinkReply.NLM_F_ACK_TLVS, 1,
                concat(errnoPayload(Errno.ENOENT, echoed), attribute(1, "no such set\0".getBytes())));

        NetlinkReply reply = NetlinkReply.parse(datagram).getFirst();

        assertThat(reply.errno()).isEqualTo(Errno.ENOENT);
        assertThat(reply.extAckMessage()).isEqualTo("no such set");
        assertThat(reply.echoedRequest()).isEmpty();
    }

    @Test
    void echoedRequest_lyingLength_isCutToWhatWasEchoed() throws Exception {
        byte[] echoed = message(9999, 0x609, 0, 1, new byte[8]);
        NetlinkReply reply = NetlinkReply.parse(message(NetlinkReply.NLMSG_ERROR, 0, 1, errnoPayload(Errno.EINVAL, echoed)))
                .getFirst();

        assertThat(reply.echoedRequest()).hasSize(24);
        NetlinkReply tiny = NetlinkReply.parse(message(NetlinkReply.NLMSG_ERROR, 0, 1,
                errnoPayload(Errno.EINVAL, message(-5, 0x609, 0, 1, new byte[8])))).getFirst();
        assertThat(tiny.echoedRequest()).isEmpty();
    }

    @Test
    void nfAttributes_nestedAttributeOutOfBounds_isRejected() throws Exception {
        byte[] inner = attribute(64, 6, new byte[4]); // claims 64 bytes inside an 8-byte nest
        byte[] nest = attribute(4 + inner.length, 7 | NetlinkMessageBuilder.NLA_F_NESTED, inner);
        NetlinkReply reply = NetlinkReply.parse(message(NEWSET, 0, 1, concat(new byte[4], nest))).getFirst();

        NetlinkAttributes top = reply.nfAttributes();

        assertThat(top.has(7)).isTrue();
        assertThatThrownBy(() -> top.nested(7)).isInstanceOf(NetlinkException.class);
    }

    @Test
    void nfAttributes_payloadShorterThanNfgenmsg_isRejected() throws Exception {
        NetlinkReply reply = NetlinkReply.parse(message(NEWSET, 0, 1, new byte[2])).getFirst();

        assertThatThrownBy(reply::nfAttributes).isInstanceOf(NetlinkException.class);
    }

    @Test
    void nfAttributes_attributeShorterThanItsHeader_isRejected() throws Exception {
        NetlinkReply reply = NetlinkReply.parse(message(NEWSET, 0, 1, concat(new byte[4], attribute(2, 1, new byte[4]))))
                .getFirst();

        assertThatThrownBy(reply::nfAttributes).isInstanceOf(NetlinkException.class);
    }

    @Test
    void nestedValues_tooShortForTheirType_fallBack() throws Exception {
        byte[] payload = concat(new byte[4], attribute(3, new byte[0]), attribute(6, new byte[2]), attribute(8, new byte[3]));
        NetlinkAttributes top = NetlinkReply.parse(message(NEWSET, 0, 1, payload)).getFirst().nfAttributes();

        assertThat(top.u8(3, -1)).isEqualTo(-1);
        assertThat(top.be32(6, -1)).isEqualTo(-1);
        assertThat(top.u32(6, -1)).isEqualTo(-1);
        assertThat(top.be64(8, -1)).isEqualTo(-1);
    }

    /**
     * Random datagrams, and valid ones with random bytes changed: every one parses or is a NetlinkException,
     * and every accessor of what parsed answers. (The deterministic cousin of the Jazzer target.)
     */
    @Test
    void parse_anyBytes_isAReplyOrANetlinkException() {
        Random random = new Random(42);
        byte[] valid = concat(message(NEWSET, 0, 3, concat(new byte[4], attribute(2, "set\0".getBytes()),
                        attribute(12, 7 | NetlinkMessageBuilder.NLA_F_NESTED, attribute(6, new byte[4])))),
                message(NetlinkReply.NLMSG_ERROR, NetlinkReply.NLM_F_ACK_TLVS, 3,
                        concat(errnoPayload(Errno.EEXIST, message(16, 0, 3, new byte[0])), attribute(1, "x\0".getBytes()))));
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] datagram;
            if (i % 2 == 0) {
                datagram = new byte[random.nextInt(80)];
                random.nextBytes(datagram);
            } else {
                datagram = valid.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    datagram[random.nextInt(datagram.length)] = (byte) random.nextInt();
                }
                datagram = Arrays.copyOf(datagram, random.nextInt(datagram.length + 1));
            }
            try {
                for (NetlinkReply reply : NetlinkReply.parse(datagram)) {
                    exercise(reply);
                }
                parsed++;
            } catch (NetlinkException e) {
                rejected++;
            }
        }
        assertThat(parsed).as("some mutated datagrams still parse").isPositive();
        assertThat(rejected).as("most random bytes are rejected").isPositive();
    }

    private static void exercise(NetlinkReply reply) {
        reply.errno();
        reply.isFinal();
        reply.echoedRequest();
        reply.extAckMessage();
        try {
            NetlinkAttributes top = reply.nfAttributes();
            for (int type = 0; type < 70; type++) {
                top.u8(type, 0);
                top.u32(type, 0);
                top.be32(type, 0);
                top.be64(type, 0);
                top.string(type);
                top.nested(type);
            }
        } catch (NetlinkException e) {
            // a malformed attribute: what the parser must say
        }
    }
}
