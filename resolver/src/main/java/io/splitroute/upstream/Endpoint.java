package io.splitroute.upstream;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** Where a server's connections go: a fixed address ({@code @IP}), or one looked up through the bootstrap servers. */
interface Endpoint {

    /** The address to dial next; completes on any thread, or exceptionally with an {@link UpstreamException}. */
    CompletableFuture<InetSocketAddress> address();

    /** Says that dialling {@code address} failed, so a looked-up address is looked up again (rate-limited). */
    void failed(InetSocketAddress address);

    /** An endpoint that is always {@code address}. */
    static Endpoint fixed(InetSocketAddress address) {
        CompletableFuture<InetSocketAddress> done = CompletableFuture.completedFuture(address);
        return new Endpoint() {
            @Override
            public CompletableFuture<InetSocketAddress> address() {
                return done;
            }

            @Override
            public void failed(InetSocketAddress ignored) {}
        };
    }
}
