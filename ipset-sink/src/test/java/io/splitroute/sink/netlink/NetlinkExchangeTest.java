package io.splitroute.sink.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Waiting for acks on a real netlink socket (rtnetlink, no privileges needed): a request the kernel never
 * answers is one sent without {@code NLM_F_ACK} that succeeds, {@code NLMSG_NOOP}. The wait ends at the
 * caller's timeout instead of blocking.
 */
class NetlinkExchangeTest {
    private static final int NETLINK_ROUTE = 0;
    private static final int NLMSG_NOOP = 1;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_ACK = 0x4;
    private static final long DEADLINE_NANOS = Duration.ofMillis(50).toNanos();

    private NetlinkExchange exchange;

    @BeforeEach
    void open() throws Exception {
        exchange = new NetlinkExchange(NetlinkSocket.open(NETLINK_ROUTE, null), 64 * 1024);
    }

    @AfterEach
    void close() {
        exchange.close();
    }

    private NetlinkMessageBuilder noop(int seq, int flags) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(64);
        b.begin(NLMSG_NOOP, flags, seq);
        b.end();
        return b;
    }

    @Test
    void exchangeAcks_noAckComes_returnsAtTheDeadlineWithTheRequestUnanswered() {
        int seq = exchange.socket().nextSequence();

        NetlinkReply[] acks = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> exchange.exchangeAcks(noop(seq, NLM_F_REQUEST), new int[] {seq}, 1, DEADLINE_NANOS));

        assertThat(acks[0]).isNull();
        assertThat(exchange.timedOut()).isTrue();
    }

    @Test
    void exchangeAcks_oneOfTwoAnswered_keepsTheAckAndReportsTheOtherMissing() throws Exception {
        int answered = exchange.socket().nextSequence();
        int silent = exchange.socket().nextSequence();
        NetlinkMessageBuilder b = noop(answered, NLM_F_REQUEST | NLM_F_ACK);
        b.begin(NLMSG_NOOP, NLM_F_REQUEST, silent);
        b.end();

        NetlinkReply[] acks = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> exchange.exchangeAcks(b, new int[] {answered, silent}, 2, DEADLINE_NANOS));

        assertThat(acks[0]).isNotNull();
        assertThat(acks[0].errno()).isZero();
        assertThat(acks[1]).isNull();
        assertThat(exchange.timedOut()).isTrue();
    }

    @Test
    void exchangeAcks_answered_doesNotTimeOut() throws Exception {
        int seq = exchange.socket().nextSequence();

        NetlinkReply[] acks = exchange.exchangeAcks(noop(seq, NLM_F_REQUEST | NLM_F_ACK), new int[] {seq}, 1, DEADLINE_NANOS);

        assertThat(acks[0].errno()).isZero();
        assertThat(exchange.timedOut()).isFalse();
        assertThat(exchange.sends()).isEqualTo(1);
    }

    @Test
    void exchange_noFinalReply_failsAtTheDeadline() {
        int seq = exchange.socket().nextSequence();

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThatThrownBy(
                () -> exchange.exchange(noop(seq, NLM_F_REQUEST), seq, DEADLINE_NANOS))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("no reply from the kernel within 50 ms"));
    }

    @Test
    void exchangeAcks_afterATimeout_theNextCallIsAnsweredAndNotConfusedByStrays() throws Exception {
        int silent = exchange.socket().nextSequence();
        exchange.exchangeAcks(noop(silent, NLM_F_REQUEST), new int[] {silent}, 1, DEADLINE_NANOS);
        int first = exchange.socket().nextSequence();
        int second = exchange.socket().nextSequence();
        NetlinkMessageBuilder b = noop(first, NLM_F_REQUEST | NLM_F_ACK);
        b.begin(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, second);
        b.end();

        NetlinkReply[] acks = exchange.exchangeAcks(b, new int[] {first, second}, 2, DEADLINE_NANOS);

        assertThat(acks[0].errno()).isZero();
        assertThat(acks[1].errno()).isZero();
        assertThat(exchange.timedOut()).isFalse();
    }
}
