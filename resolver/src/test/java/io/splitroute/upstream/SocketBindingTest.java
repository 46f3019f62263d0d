package io.splitroute.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelException;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.splitroute.net.NetTransport;
import java.util.List;
import org.junit.jupiter.api.Test;

class SocketBindingTest {

    @Test
    void describesItself() {
        assertThat(SocketBinding.NONE.isBound()).isFalse();
        assertThat(new SocketBinding("wg0", 0xca6cL)).hasToString("interface wg0 mark 0xca6c");
        assertThat(new SocketBinding(null, 0xca6cL).isBound()).isTrue();
        assertThat(new SocketBinding("wg0", null).withInterface("wg1")).isEqualTo(new SocketBinding("wg1", null));
    }

    @Test
    void nioChannel_refusedRatherThanSentUnbound() {
        NioDatagramChannel channel = new NioDatagramChannel();
        try {
            assertThatThrownBy(() -> new SocketBinding("wg0", null).apply(channel))
                    .isInstanceOf(ChannelException.class).hasMessageContaining("cannot set interface wg0")
                    .hasMessageContaining("binding needs native epoll");
        } finally {
            channel.unsafe().closeForcibly();
        }
    }

    @Test
    void boundGroupOnNio_refusedWhenBuilt() {
        try (NetTransport nio = NetTransport.nio(1)) {
            assertThatThrownBy(() -> new UpstreamFactory().group(GroupSpec.of("clean", List.of("udp://192.0.2.1@wg0")),
                    UpstreamOptions.defaults(nio)))
                    .hasMessageContaining("upstream group 'clean'").hasMessageContaining("needs the native epoll transport");
        }
    }

    @Test
    void interfaceState_loopbackUp_unknownInterfaceGone() {
        assertThat(new SocketBinding("lo", null).unavailable()).isNull();
        assertThat(new SocketBinding("sr-nosuch0", null).unavailable()).contains("interface sr-nosuch0 does not exist");
    }
}
