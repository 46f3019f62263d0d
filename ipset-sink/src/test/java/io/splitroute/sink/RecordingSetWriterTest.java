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
}
