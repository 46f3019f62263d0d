package io.splitroute.lists.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.format.ListLoader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same updater keeps IP lists ({@code format: cidr}) fresh, judged by their networks. */
class IpListUpdaterTest {
    @TempDir
    Path dir;
    private ListServer server;
    private Path file;
    private byte[] current;

    @BeforeEach
    void setUp() throws Exception {
        server = new ListServer();
        file = dir.resolve("chnroute.txt");
        current = networks(0, 100);
        Files.write(file, current);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    /** {@code 10.<i / 256>.<i % 256>.0/24} for i in [from, to), one a line, under a comment. */
    private static byte[] networks(int from, int to) {
        return ("# generated\n" + IntStream.range(from, to).mapToObj(i -> "10." + i / 256 + "." + i % 256 + ".0/24\n")
                .collect(Collectors.joining())).getBytes(StandardCharsets.UTF_8);
    }

    private UpdateResult update(URI url) {
        ListSource source = new ListSource("chnroute", file, url, ListFormatKind.CIDR, null, 10, 0.5);
        return new ListUpdater().update(source, DownloadProgress.NONE);
    }

    @Test
    void update_goodDownloadReplacesListAndCountsNetworks() throws Exception {
        byte[] next = networks(5, 120);
        URI url = server.serve("/chnroutes.txt", ListServer.ok(next, "\"v2\""));

        UpdateResult result = update(url);

        assertThat(result.line()).isEqualTo("chnroute: 115 networks (+20 -5) updated");
        assertThat(Files.readAllBytes(file)).isEqualTo(next);
        assertThat(Files.readAllBytes(ListFiles.previous(file))).isEqualTo(current);
        assertThat(ListLoader.loadIpList("chnroute", file).table().contains(0x0A007700)).isTrue();
    }

    @Test
    void update_shrunkListIsRejected() throws Exception {
        URI url = server.serve("/chnroutes.txt", ListServer.ok(networks(0, 30), null));

        assertThat(update(url).line()).isEqualTo("chnroute: rejected: 30 networks is 30% of the current 100");
        assertThat(Files.readAllBytes(file)).isEqualTo(current);
    }

    @Test
    void update_domainListServedInsteadIsRejected() throws Exception {
        String domains = IntStream.range(0, 50).mapToObj(i -> "d" + i + ".example\n").collect(Collectors.joining());
        URI url = server.serve("/chnroutes.txt", ListServer.ok(domains.getBytes(StandardCharsets.UTF_8), null));

        UpdateResult result = update(url);

        assertThat(result.line()).startsWith("chnroute: rejected: 0 networks, fewer than min-rules 10");
        assertThat(Files.readAllBytes(file)).isEqualTo(current);
    }

    @Test
    void update_badLinesAreReportedWithTheirNumbers() throws Exception {
        byte[] next = (new String(networks(0, 100), StandardCharsets.UTF_8) + "10.0.0.1/24\n").getBytes(StandardCharsets.UTF_8);
        URI url = server.serve("/chnroutes.txt", ListServer.ok(next, null));

        UpdateResult result = update(url);

        assertThat(result.line()).startsWith("chnroute: 100 networks (+0 -0) updated, 1 dropped (1 host bits set), first: "
                + url + ":102: \"10.0.0.1/24\" has address bits set");
    }
}
