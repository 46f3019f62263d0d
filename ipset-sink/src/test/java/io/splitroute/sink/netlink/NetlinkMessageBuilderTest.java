package io.splitroute.sink.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NetlinkMessageBuilderTest {
    private static byte[] bytes(NetlinkMessageBuilder b) {
        return b.segment().asSlice(0, b.size()).toArray(JAVA_BYTE);
    }

    @Test
    void message_withNestedAttributes_parsesBack() throws Exception {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(64);
        b.begin(0x609, 0x5, 42);
        b.nfgen(2, 0);
        b.putString(2, "gfwlist");
        long nest = b.beginNested(7);
        b.putNetU32(6, 300);
        b.putU8(3, 32);
        b.endNested(nest);
        b.end();

        byte[] data = bytes(b);
        assertThat(NetlinkAttributes.u32(data, 0)).isEqualTo(data.length);
        NetlinkAttributes top = NetlinkAttributes.parse(data, 20, data.length);
        assertThat(top.string(2)).isEqualTo("gfwlist");
        NetlinkAttributes inner = top.nested(7);
        assertThat(inner.be32(6, -1)).isEqualTo(300);
        assertThat(inner.u8(3, -1)).isEqualTo(32);
        assertThat(data.length % 4).isZero();
    }

    @Test
    void growth_keepsEarlierMessages() {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(64);
        for (int i = 0; i < 100; i++) {
            b.begin(16, 1, i);
            b.putString(1, "name-" + i);
            b.end();
        }
        byte[] data = bytes(b);
        int offset = 0;
        int count = 0;
        while (offset < data.length) {
            assertThat(NetlinkAttributes.u32(data, offset + 8)).isEqualTo(count++);
            offset += NetlinkAttributes.u32(data, offset);
        }
        assertThat(count).isEqualTo(100);
    }

    @Test
    void endNested_over64KiB_isRefused() {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(64);
        b.begin(16, 1, 1);
        long nest = b.beginNested(3);
        for (int i = 0; i < 2000; i++) {
            b.putBytes(1, new byte[32]);
        }
        assertThatThrownBy(() -> b.endNested(nest)).isInstanceOf(IllegalStateException.class).hasMessageContaining("65535");
    }

    @Test
    void errno_namesAreReadable() {
        assertThat(Errno.describe(2)).isEqualTo("ENOENT (No such file or directory)");
        assertThat(Errno.name(-1)).isEqualTo("EPERM");
        assertThat(Errno.name(4242)).isEqualTo("E4242");
    }
}
