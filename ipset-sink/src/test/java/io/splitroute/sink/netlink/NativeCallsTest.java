package io.splitroute.sink.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitroute.sink.TestNamespace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both ways of making the system calls, on a real rtnetlink socket (no privileges needed): one
 * {@code syscall(2)} linkage with this machine's numbers, and the libc functions bound one by one (what an
 * architecture without known numbers uses). Each must carry requests and acks, wait with a timeout, and
 * report the kernel's errno.
 */
class NativeCallsTest {
    private static final int NETLINK_ROUTE = 0;
    private static final int NLMSG_NOOP = 1;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_ACK = 0x4;
    private static final long DEADLINE_NANOS = Duration.ofMillis(50).toNanos();

    static Stream<NativeCalls> calls() {
        List<NativeCalls> all = new ArrayList<>(List.of(new LibcCalls()));
        SyscallCalls.Numbers numbers = SyscallCalls.Numbers.forArch(System.getProperty("os.arch"));
        if (numbers != null) {
            all.add(new SyscallCalls(numbers));
        }
        return all.stream();
    }

    @Test
    void forThisMachine_knownArchitecture_usesOneSyscallLinkage() {
        Assumptions.assumeTrue(SyscallCalls.Numbers.forArch(System.getProperty("os.arch")) != null,
                "an architecture without known system call numbers");

        assertThat(NativeCalls.forThisMachine()).isInstanceOf(SyscallCalls.class);
    }

    @Test
    void numbers_unknownArchitecture_none() {
        assertThat(SyscallCalls.Numbers.forArch("arm")).isNull();
        assertThat(SyscallCalls.Numbers.forArch("ppc64le")).isNull();
        assertThat(SyscallCalls.Numbers.forArch("aarch64")).isEqualTo(SyscallCalls.Numbers.GENERIC_64);
        assertThat(SyscallCalls.Numbers.forArch("amd64")).isEqualTo(SyscallCalls.Numbers.X86_64);
    }

    @ParameterizedTest
    @MethodSource("calls")
    void exchange_noopWithAck_isAcked(NativeCalls calls) throws Exception {
        try (NetlinkExchange exchange = new NetlinkExchange(NetlinkSocket.open(NETLINK_ROUTE, null, calls), 64 * 1024)) {
            int seq = exchange.socket().nextSequence();
            NetlinkMessageBuilder b = new NetlinkMessageBuilder(64);
            b.begin(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, seq);
            b.end();

            NetlinkReply[] acks = exchange.exchangeAcks(b, new int[] {seq}, 1, DEADLINE_NANOS);

            assertThat(acks[0]).isNotNull();
            assertThat(acks[0].errno()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("calls")
    void awaitReadable_nothingQueued_falseAfterTheTimeout(NativeCalls calls) throws Exception {
        NetlinkSocket socket = NetlinkSocket.open(NETLINK_ROUTE, null, calls);
        try {
            assertThat(socket.awaitReadable(DEADLINE_NANOS)).isFalse();
        } finally {
            socket.close();
        }
    }

    @ParameterizedTest
    @MethodSource("calls")
    void failedCall_reportsTheKernelsErrno(NativeCalls calls) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE_LAYOUT);

            assertThat(calls.close(state, -1)).isEqualTo(-1);
            assertThat(Libc.errno(state)).isEqualTo(9); // EBADF
            assertThat(calls.open(state, arena.allocateFrom("/nonexistent/splitroute"), Libc.O_RDONLY, 0)).isEqualTo(-1);
            assertThat(Libc.errno(state)).isEqualTo(Errno.ENOENT);
            assertThat(calls.send(state, -1, arena.allocate(16), 16, 0)).isEqualTo(-1);
            assertThat(Libc.errno(state)).isEqualTo(9);
        }
    }

    @ParameterizedTest
    @MethodSource("calls")
    void open_unknownProtocol_namesTheErrno(NativeCalls calls) {
        assertThatThrownBy(() -> NetlinkSocket.open(Integer.MAX_VALUE, null, calls))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("EPROTONOSUPPORT");
    }

    @ParameterizedTest
    @MethodSource("calls")
    void open_inANamespace_opensThereAndAMissingOneIsENOENT(NativeCalls calls) throws Exception {
        Assumptions.assumeTrue(TestNamespace.available(), "needs root and iproute2");
        try (TestNamespace ns = TestNamespace.create("calls")) {
            NetlinkSocket socket = NetlinkSocket.open(NETLINK_ROUTE, ns.path(), calls);
            socket.close();
            assertThatThrownBy(() -> NetlinkSocket.open(NETLINK_ROUTE, ns.path().resolveSibling("sr-none"), calls))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageContaining("ENOENT");
        }
    }
}
