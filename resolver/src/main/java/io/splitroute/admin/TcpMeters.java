package io.splitroute.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.splitroute.server.TcpStats;
import java.util.Locale;

/** The TCP listener's meters: connections open, closed at accept by reason, frame timeouts, back-pressure. */
final class TcpMeters implements MeterBinder {
    private final TcpStats stats;

    TcpMeters(TcpStats stats) {
        this.stats = stats;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("dns.tcp.connections", stats, TcpStats::open)
                .description("TCP client connections open").register(registry);
        for (TcpStats.Rejection reason : TcpStats.Rejection.values()) {
            FunctionCounter.builder("dns.tcp.rejected", stats, s -> s.rejected(reason))
                    .description("TCP connections closed at accept: client outside the ACL, or a cap reached")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT).replace('_', '-')).register(registry);
        }
        FunctionCounter.builder("dns.tcp.frame.timeouts", stats, TcpStats::frameTimeouts)
                .description("TCP connections closed because a query did not arrive whole within tcp.frame-timeout")
                .register(registry);
        FunctionCounter.builder("dns.tcp.paused", stats, TcpStats::paused)
                .description("Times a TCP connection stopped being read: tcp.max-inflight queries in flight, or "
                        + "replies not taken by the client").register(registry);
    }
}
