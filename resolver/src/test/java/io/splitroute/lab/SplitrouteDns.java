package io.splitroute.lab;

import io.splitroute.it.ChildProcess;
import io.splitroute.it.SplitrouteServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * splitroute from the packaged jar on the router: listed names to the clean resolver through the tunnel (its
 * group bound to the tunnel interface and marked, as the example config does), their addresses (CNAME targets
 * included) into the router's set, AAAA dropped; everything else to the ISP.
 */
public final class SplitrouteDns extends RouterDns {

    /** Creates the server for {@code lab}. */
    public SplitrouteDns(RouterLab lab) {
        super(lab);
    }

    /** The routing-script commands of the shipped {@code splitroute.service}. */
    @Override
    protected List<String> unitRoutingCommands(String key) {
        return ServiceUnit.load("splitroute.service").routingCommands(key);
    }

    /** {@code /healthz} of the admin listener on the router's loopback. */
    @Override
    public String health() {
        return lab().router().execAllowingFailure("curl", "-s", "-m", "3", "http://127.0.0.1:9153/healthz").output();
    }

    @Override
    protected ChildProcess launch() throws IOException {
        if (!Files.isRegularFile(SplitrouteServer.JAR)) {
            throw new IllegalStateException(SplitrouteServer.JAR.toAbsolutePath() + " missing: run ./mvnw package first");
        }
        Path dir = lab().dir();
        Path list = Files.writeString(dir.resolve("gfwlist.txt"), RouterLab.LISTED_DOMAIN + "\n");
        Path config = Files.writeString(dir.resolve("splitroute.yaml"), """
                listen: ["%s:53", "127.0.0.1:53"]
                upstreams:
                  isp: ["udp://%s:53"]
                  clean: { servers: ["udp://%s:53"], interface: %s, mark: 0xca6c }
                lists: { gfwlist: { file: %s, format: domains } }
                sets: { gfw4: %s }
                routes:
                  - { name: tunnel, lists: [gfwlist], upstream: clean, sets: [gfw4], aaaa: drop }
                default-upstream: isp
                set-timeout: { min: 300, max: 86400, grace: 60 }
                acl: ["10.0.0.0/8", "127.0.0.0/8"]
                upstream-timeout: 1000ms
                """.formatted(RouterLab.ROUTER_LAN, RouterLab.ISP_DNS, RouterLab.CLEAN_DNS_ROUTED, lab().routerWg(),
                list, lab().flavour().splitrouteSet()));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // A class-data archive of the jar, written at the first exit and reused by every later start (the
        // restart check, the next lab): JVM start is most of the lab's time on a loaded machine.
        Path archive = SplitrouteServer.JAR.toAbsolutePath().resolveSibling("splitroute-lab.jsa");
        return lab().router().spawn("splitroute", dir.resolve("splitroute.log"), java.toString(), "-Xmx128m",
                "-XX:TieredStopAtLevel=1", "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive,
                "-jar", SplitrouteServer.JAR.toAbsolutePath().toString(),
                "run", "--config", config.toString());
    }
}
