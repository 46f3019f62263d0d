package io.splitroute.pipeline;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The forwarder's meters: {@code dns.upstream.pending} (queries pending upstream now, over all groups) and
 * {@code dns.upstream.overloaded} (queries answered SERVFAIL at once because {@code upstream-max-pending}
 * were pending).
 */
public final class ForwarderMeters implements MeterBinder {
    private final UpstreamForwarder forwarder;

    /** @param forwarder the forwarder whose counts are published */
    public ForwarderMeters(UpstreamForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("dns.upstream.pending", forwarder, UpstreamForwarder::pending)
                .description("Upstream queries sent and not yet answered, failed or timed out, over all groups")
                .register(registry);
        FunctionCounter.builder("dns.upstream.overloaded", forwarder, UpstreamForwarder::overloaded)
                .description("Queries answered SERVFAIL at once because upstream-max-pending queries were pending")
                .register(registry);
    }
}
