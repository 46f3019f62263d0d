package io.splitroute.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.config.ConfigLoader;
import io.splitroute.query.Resolution;
import io.splitroute.query.Source;
import io.splitroute.routing.Routing;
import io.splitroute.testing.StageQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The CHAOS stage alone: version.bind answers the version it was given, other names their route. */
class ChaosResponderTest {
    @TempDir
    Path dir;
    private int forwarded;
    private final Routing routing = Routing.compile(parse(), Map.of());
    private final ChaosResponder chaos = new ChaosResponder("splitroute 9.9.9", () -> routing, query -> {
        forwarded++;
        return CompletableFuture.completedFuture(StageQueries.answer(query, 60));
    });

    private static io.splitroute.config.SplitrouteConfig parse() {
        try {
            return ConfigLoader.parse("""
                    upstreams: { isp: [system], clean: [system] }
                    routes: [{ name: tunnel, domains: [google.com], upstream: clean }]
                    default-upstream: isp
                    """, "t.yaml", Path.of("."));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> txt(String name) {
        Resolution r = chaos.resolve(StageQueries.query(name, Type.TXT, DClass.CH, "127.0.0.1")).join();
        assertThat(r.source()).isEqualTo(Source.LOCAL);
        return ((TXTRecord) r.reply().getSection(org.xbill.DNS.Section.ANSWER).getFirst()).getStrings();
    }

    @Test
    void versionBind_theVersionPassedIn() {
        assertThat(txt("version.bind")).containsExactly("splitroute 9.9.9");
        assertThat(forwarded).isZero();
    }

    @Test
    void anyOtherName_itsRouteExplained() {
        assertThat(txt("www.google.com")).startsWith("route=tunnel").contains("upstream=clean");
        assertThat(txt("example.net")).startsWith("route=default", "upstream=isp");
    }

    @Test
    void systemGroup_explainedWithTheNameserversOfResolvConf_asCheckShowsThem() throws Exception {
        Path resolvConf = Files.writeString(dir.resolve("resolv.conf"), "nameserver 192.0.2.53\nnameserver 2001:db8::53\n");
        ChaosResponder reading = new ChaosResponder("v", () -> routing, resolvConf, query -> null);

        Resolution r = reading.resolve(StageQueries.query("example.net", Type.TXT, DClass.CH, "127.0.0.1")).join();
        List<String> strings = ((TXTRecord) r.reply().getSection(org.xbill.DNS.Section.ANSWER).getFirst()).getStrings();

        assertThat(strings).anySatisfy(s -> assertThat(s).startsWith("servers=").contains("udp://192.0.2.53:53",
                "udp://[2001:db8::53]:53").doesNotContain("system"));
    }

    @Test
    void classIn_handedOn() {
        chaos.resolve(StageQueries.query("www.google.com", Type.A)).join();

        assertThat(forwarded).isEqualTo(1);
    }
}
