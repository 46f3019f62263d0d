package io.splitroute.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingSetWriterTest {
    private static final IpsetTarget V4 = new IpsetTarget("gfwlist", AddressFamily.INET);

    @Test
    void add_recordsEachAddressWithItsLatestTimeout() throws Exception {
        RecordingSetWriter writer = new RecordingSetWriter();
        InetAddress a = InetAddress.getByName("192.0.2.1");

        writer.add(V4, List.of(new SetElement(a, Duration.ofSeconds(60)))).get();
        writer.add(V4, List.of(new SetElement(a, Duration.ofSeconds(600)))).get();

        assertThat(writer.contents(V4)).containsExactlyEntriesOf(java.util.Map.of(a, Duration.ofSeconds(600)));
        assertThat(writer.history()).hasSize(2);
        assertThat(writer.stats().get(V4).elements()).isEqualTo(2);
    }

    @Test
    void add_otherFamily_isAnElementError() throws Exception {
        RecordingSetWriter writer = new RecordingSetWriter();

        WriteResult result = writer.add(V4, List.of(new SetElement(InetAddress.getByName("2001:db8::1"), Duration.ZERO))).get();

        assertThat(result.written()).isZero();
        assertThat(result.errors()).singleElement().extracting(SetError::kind).isEqualTo(SetError.Kind.WRONG_FAMILY);
    }

    @Test
    void fail_makesProbeAndAddFailWithTheMessage() throws Exception {
        RecordingSetWriter writer = new RecordingSetWriter().fail(V4, SetError.Kind.SET_FULL, "ipset gfwlist is full");

        WriteResult result = writer.add(V4, List.of(new SetElement(InetAddress.getByName("192.0.2.1"), Duration.ZERO))).get();

        assertThat(result.errors()).singleElement().extracting(SetError::message).isEqualTo("ipset gfwlist is full");
        assertThatThrownBy(() -> writer.probe(V4)).isInstanceOf(SetException.class).hasMessage("ipset gfwlist is full");
    }

    @Test
    void add_forDays_staysBounded_expiredElementsDroppedAndHistoryCapped() throws Exception {
        long[] now = {0};
        RecordingSetWriter writer = new RecordingSetWriter(100, () -> now[0]);
        InetAddress kept = InetAddress.getByName("192.0.2.200");
        writer.add(V4, List.of(new SetElement(kept, Duration.ZERO))).get(); // the set's default: never runs out

        for (int i = 0; i < 5000; i++) { // a new address every second, each for 60 s
            now[0] += 1_000_000_000L;
            byte[] address = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
            writer.add(V4, List.of(new SetElement(InetAddress.getByAddress(address), Duration.ofSeconds(60)))).get();
        }

        assertThat(writer.contents(V4)).hasSize(60 + 1).containsKey(kept);
        assertThat(writer.heldElements()).as("timed-out elements dropped from memory").isLessThanOrEqualTo(1025);
        assertThat(writer.contents(V4)).containsKey(InetAddress.getByAddress(new byte[] {10, 0, 19, (byte) 135})); // i = 4999
        assertThat(writer.history()).hasSize(100);
        assertThat(writer.history().getLast().elements().getFirst().address().getHostAddress()).isEqualTo("10.0.19.135");
        assertThat(writer.stats().get(V4).elements()).isEqualTo(5001);
    }

    @Test
    void inspect_answersFromWhatWasWritten() throws Exception {
        RecordingSetWriter writer = new RecordingSetWriter();
        InetAddress written = InetAddress.getByName("192.0.2.1");
        InetAddress other = InetAddress.getByName("192.0.2.2");
        writer.add(V4, List.of(new SetElement(written, Duration.ofSeconds(60)))).get();

        SetInspection set = writer.inspect(V4, List.of(written, other));

        assertThat(set.usable()).isTrue();
        assertThat(set.elements()).isEqualTo(1);
        assertThat(set.holds(written)).isTrue();
        assertThat(set.members()).containsEntry(other, false);
    }

    @Test
    void inspect_failedAsMissing_saysTheSetDoesNotExist() {
        RecordingSetWriter writer = new RecordingSetWriter().fail(V4, SetError.Kind.MISSING_SET, "ipset gfwlist does not exist");

        SetInspection set = writer.inspect(V4, List.of());

        assertThat(set.exists()).isFalse();
        assertThat(set.problem()).isEqualTo("ipset gfwlist does not exist");
    }

    @Test
    void add_failedAsFull_showsInTheStats() throws Exception {
        IpsetTarget target = new IpsetTarget("recfull", AddressFamily.INET);
        RecordingSetWriter writer = new RecordingSetWriter().fail(target, SetError.Kind.SET_FULL, "ipset recfull is full");

        writer.add(target, List.of(new SetElement(InetAddress.getByName("192.0.2.1"), Duration.ZERO),
                new SetElement(InetAddress.getByName("192.0.2.2"), Duration.ZERO))).get();

        TargetStats stats = writer.stats().get(target);
        assertThat(stats.failedElements()).isEqualTo(2);
        assertThat(stats.fullElements()).isEqualTo(2);
        assertThat(stats.lastError().message()).isEqualTo("ipset recfull is full");
    }
}
