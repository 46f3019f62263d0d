package io.splitroute.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitroute.support.RunningResolver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The start-up check that no upstream is splitroute itself covers every server form and the bootstrap servers. */
class StartupLoopIT {

    @ParameterizedTest
    @ValueSource(strings = {"tls://dns.example:%d@127.0.0.1", "https://dns.example:%d/dns-query@127.0.0.1",
        "tcp://127.0.0.1:%d", "udp://127.0.0.1:%d@lo"})
    void start_serverThatIsSplitrouteItself_refused(String server) throws Exception {
        int port = RunningResolver.freePort();
        String uri = server.formatted(port);

        assertThatThrownBy(() -> RunningResolver.start("""
                listen: ["127.0.0.1:%d"]
                upstreams: { isp: ["%s"] }
                """.formatted(port, uri)))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("upstream group isp contains")
                .hasMessageContaining("which is splitroute itself (listen 127.0.0.1:" + port + "): queries would loop");
    }

    @org.junit.jupiter.api.Test
    void start_bootstrapServerThatIsSplitrouteItself_refused() throws Exception {
        int port = RunningResolver.freePort();

        assertThatThrownBy(() -> RunningResolver.start("""
                listen: ["127.0.0.1:%d"]
                bootstrap: ["udp://127.0.0.1:%d"]
                upstreams: { clean: ["tls://dns.example"] }
                """.formatted(port, port)))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("upstream group clean contains udp://127.0.0.1:" + port + " (a bootstrap server), "
                        + "which is splitroute itself");
    }
}
