package io.splitroute.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A WireGuard tunnel's latest handshake: recent, old, never, or no peer at all. */
class TunnelCheckTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    private static Finding judge(String latestHandshakes) {
        return TunnelCheck.handshake("tunnel wg0", "wg0", latestHandshakes, NOW);
    }

    @Test
    void recentHandshake_passes() {
        Finding f = judge("peerA=\t" + (NOW.getEpochSecond() - 30) + "\npeerB=\t0\n");

        assertThat(f.ok()).isTrue();
        assertThat(f.detail()).isEqualTo("up, WireGuard, latest handshake 30 s ago");
    }

    @Test
    void handshakeOlderThanThreeMinutes_fails() {
        Finding f = judge("peerA=\t" + (NOW.getEpochSecond() - 600) + "\n");

        assertThat(f.line()).startsWith("FAIL tunnel wg0: up, latest handshake 10 min ago").contains("-> check the peer's endpoint");
    }

    @Test
    void neverAHandshake_fails() {
        assertThat(judge("peerA=\t0\n").line()).startsWith("FAIL tunnel wg0: up, but no handshake with any peer yet");
    }

    @Test
    void noPeer_fails() {
        assertThat(judge("").line()).startsWith("FAIL tunnel wg0: up, but WireGuard has no peer");
    }
}
