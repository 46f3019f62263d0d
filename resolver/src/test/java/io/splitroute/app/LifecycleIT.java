package io.splitroute.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitroute.support.RunningResolver;
import org.junit.jupiter.api.Test;

class LifecycleIT {

    @Test
    void start_upstreamThatIsSplitrouteItselfRefused() throws Exception {
        int port = RunningResolver.freePort();

        assertThatThrownBy(() -> RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { isp: ["udp://127.0.0.1:%d"] }
                """.formatted(port).replace("${listen}", "127.0.0.1:" + port)))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("which is splitroute itself (listen 127.0.0.1:" + port + "): queries would loop");
    }

    @Test
    void start_addressInUseFailsWithAHint() throws Exception {
        try (RunningResolver first = RunningResolver.start("""
                listen: ["${listen}"]
                upstreams: { isp: ["udp://127.0.0.1:9"] }
                """)) {
            String taken = first.address().getAddress().getHostAddress() + ":" + first.address().getPort();
            assertThatThrownBy(() -> RunningResolver.start("""
                    listen: ["%s"]
                    upstreams: { isp: ["udp://127.0.0.1:9"] }
                    """.formatted(taken)))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("cannot listen on")
                    .hasMessageContaining(taken);
        }
    }
}
