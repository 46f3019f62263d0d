package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.config.ConfigLoader;
import io.splitroute.config.SplitrouteConfig;
import io.splitroute.query.Query;
import io.splitroute.routing.Routing;
import io.splitroute.testing.StageQueries;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** The router alone: each query goes on with its route, read from the routing in service at that moment. */
class ListRouterTest {
    private static Routing routing(String tunnelDomain) throws Exception {
        SplitrouteConfig config = ConfigLoader.parse("""
                upstreams: { isp: [system], clean: [system] }
                routes: [{ name: tunnel, domains: [%s], upstream: clean }]
                default-upstream: isp
                """.formatted(tunnelDomain), "t.yaml", Path.of("."));
        return Routing.compile(config, Map.of());
    }

    @Test
    void route_attachedToTheQueryHandedOn_swappedRoutingUsedFromTheNextQuery() throws Exception {
        AtomicReference<Routing> current = new AtomicReference<>(routing("blocked.example"));
        AtomicReference<Query> seen = new AtomicReference<>();
        ListRouter router = new ListRouter(current::get, query -> {
            seen.set(query);
            return CompletableFuture.completedFuture(StageQueries.answer(query, 60));
        });

        router.resolve(StageQueries.query("www.Blocked.example", Type.A)).join();
        assertThat(seen.get().route().name()).isEqualTo("tunnel");
        assertThat(seen.get().route().upstream()).isEqualTo("clean");

        router.resolve(StageQueries.query("news.test", Type.A)).join();
        assertThat(seen.get().route().isDefault()).isTrue();
        assertThat(seen.get().route().upstream()).isEqualTo("isp");

        current.set(routing("news.test"));
        router.resolve(StageQueries.query("www.blocked.example", Type.A)).join();
        assertThat(seen.get().route().isDefault()).isTrue();
    }
}
