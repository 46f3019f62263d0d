package io.splitroute.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import io.splitroute.support.DnsClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Builds the image from {@code docker/Dockerfile} and checks that it answers DNS and serves {@code /metrics}.
 * Skipped where no Docker engine runs; the same behaviour is tested in-process by {@code io.splitroute.admin}.
 */
@Testcontainers(disabledWithoutDocker = true)
class ImageIT {
    private static final int DNS_PORT = 5353;
    private static final int ADMIN_PORT = 9153;
    // The upstream is never asked: CHAOS queries are answered by splitroute itself.
    private static final String CONFIG = """
            listen: ["0.0.0.0:%d"]
            admin: { listen: "0.0.0.0:%d", allow: ["0.0.0.0/0"] }
            upstreams: { none: ["udp://127.0.0.1:5399"] }
            """.formatted(DNS_PORT, ADMIN_PORT);

    @Container
    private static final GenericContainer<?> splitroute = new GenericContainer<>(image())
            .withCopyToContainer(Transferable.of(CONFIG), "/etc/splitroute/splitroute.yaml")
            // As compose.yaml runs it: only these capabilities, no privilege gain; the entrypoint switches to the
            // unprivileged user keeping NET_BIND_SERVICE and NET_ADMIN.
            .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                    .withCapDrop(Capability.ALL)
                    .withCapAdd(Capability.NET_BIND_SERVICE, Capability.NET_ADMIN, Capability.SETUID,
                            Capability.SETGID, Capability.SETPCAP)
                    .withSecurityOpts(List.of("no-new-privileges:true")))
            .withExposedPorts(DNS_PORT, ADMIN_PORT)
            .waitingFor(Wait.forHttp("/healthz").forPort(ADMIN_PORT).forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(2)));

    @SuppressWarnings("deprecation") // withDockerfilePath: the context is sent file by file, so name the Dockerfile in it
    private static ImageFromDockerfile image() {
        Path root = repositoryRoot();
        ImageFromDockerfile image = new ImageFromDockerfile("splitroute-image-it", true)
                .withDockerfilePath("docker/Dockerfile");
        // Only the sources: never a host build's target/ directories.
        for (String path : List.of("mvnw", ".mvn", "pom.xml", "docker", "README.md", "config", "lists/pom.xml",
                "lists/src", "ipset-sink/pom.xml", "ipset-sink/src", "resolver/pom.xml", "resolver/src",
                "dist/pom.xml", "dist/src")) {
            image.withFileFromPath(path, root.resolve(path));
        }
        return image;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker/Dockerfile"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docker/Dockerfile above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @Test
    void chaosVersionQuery_answeredOverTcp() throws Exception {
        DnsClient dns = new DnsClient(new InetSocketAddress(splitroute.getHost(), splitroute.getMappedPort(DNS_PORT)));
        Message query = Message.newQuery(Record.newRecord(Name.fromString("version.bind."), Type.TXT, DClass.CH));

        Message reply = dns.tcp(query);

        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((TXTRecord) r).getStrings().getFirst()).startsWith("splitroute"));
    }

    @Test
    void metrics_countTheChaosQuery() throws Exception {
        chaosVersionQuery_answeredOverTcp();
        URI metrics = URI.create("http://" + splitroute.getHost() + ":" + splitroute.getMappedPort(ADMIN_PORT) + "/metrics");

        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        assertThat(body).contains("dns_queries_total{rcode=\"NOERROR\",route=\"none\",source=\"local\",transport=\"tcp\"}");
    }
}
