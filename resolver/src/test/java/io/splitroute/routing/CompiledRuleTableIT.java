package io.splitroute.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.compiled.CompiledRuleTables;
import io.splitroute.lists.rule.RuleTableFile;
import io.splitroute.support.DnsClient;
import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The compiled rule table beside the lists, through a running resolver: the first start writes it, the next
 * start maps it (rules with their origins, no list parsed), and a changed list or a damaged file is rebuilt,
 * never served from.
 */
class CompiledRuleTableIT {
    @TempDir
    Path dir;
    private FakeUpstream tunnel;
    private FakeUpstream isp;
    private RunningResolver resolver;
    private Path config;
    private Path list;
    private Path compiled;

    @BeforeEach
    void setUp() throws Exception {
        // TTL 0: nothing is cached, so every answer shows the route the table gives now.
        tunnel = FakeUpstream.start().answer("a.listed.example.", Type.A, 0, "192.0.2.1")
                .answer("new.example.", Type.A, 0, "192.0.2.2");
        isp = FakeUpstream.start().answer("a.listed.example.", Type.A, 0, "198.51.100.1")
                .answer("new.example.", Type.A, 0, "198.51.100.2");
        list = dir.resolve("mine.txt");
        Files.writeString(list, "# mine\nlisted.example\n");
        config = dir.resolve("splitroute.yaml");
        compiled = dir.resolve(CompiledRuleTables.FILE_NAME);
    }

    private RunningResolver start() throws Exception {
        int port = RunningResolver.freePort();
        Files.writeString(config, """
                listen: ["127.0.0.1:%d"]
                upstreams: { tunnel: ["%s"], isp: ["%s"] }
                lists: { mine: { file: mine.txt, format: domains } }
                routes: [{ name: tunnel, lists: [mine], upstream: tunnel }]
                default-upstream: isp
                """.formatted(port, tunnel.udpUri(), isp.udpUri()));
        resolver = RunningResolver.startFile(config, port);
        return resolver;
    }

    @AfterEach
    void tearDown() {
        if (resolver != null) {
            resolver.close();
        }
        tunnel.close();
        isp.close();
    }

    private String answer(String name) throws Exception {
        return DnsClient.firstAddress(resolver.client().udp(name, Type.A));
    }

    private List<String> explanation(String name) throws Exception {
        Message reply = resolver.client().udp(Message.newQuery(Record.newRecord(Name.fromString(name), Type.TXT, DClass.CH)));
        return ((TXTRecord) reply.getSection(Section.ANSWER).getFirst()).getStrings();
    }

    private Object fileKey() throws Exception {
        return Files.readAttributes(compiled, BasicFileAttributes.class).fileKey();
    }

    @Test
    void restart_mapsTheFileTheFirstStartWrote_withRuleOrigins() throws Exception {
        start();
        assertThat(compiled).as("written beside the list").isRegularFile();
        assertThat(resolver.lifecycle().resolver().routing().tableMapped()).isTrue();
        Object written = fileKey();
        resolver.close();

        start();

        assertThat(fileKey()).as("the same file, not rewritten").isEqualTo(written);
        assertThat(resolver.lifecycle().resolver().routing().tableMapped()).as("no rules on the heap").isTrue();
        assertThat(answer("a.listed.example")).isEqualTo("192.0.2.1");
        assertThat(answer("new.example")).isEqualTo("198.51.100.2");
        assertThat(explanation("a.listed.example.")).contains("route=tunnel", "rule=listed.example", "list=mine",
                "source=" + list + ":2");
    }

    @Test
    void start_withAChangedList_rebuildsTheFileAndRoutesByTheNewList() throws Exception {
        start();
        resolver.close();
        Object before = fileKey();
        Files.writeString(list, "# mine\nlisted.example\nnew.example\n");

        start();

        assertThat(answer("new.example")).isEqualTo("192.0.2.2");
        assertThat(explanation("new.example.")).contains("route=tunnel", "source=" + list + ":3");
        assertThat(fileKey()).as("rewritten").isNotEqualTo(before);
        assertThat(RuleTableFile.open(compiled).table().lookup("new.example").route()).isEqualTo("tunnel");
    }

    @Test
    void reload_withAChangedList_rebuildsTheFileAndRoutesByTheNewList() throws Exception {
        start();
        assertThat(answer("new.example")).isEqualTo("198.51.100.2");
        Files.writeString(list, "new.example\n");

        assertThat(resolver.lifecycle().reload().applied()).isTrue();

        assertThat(answer("new.example")).isEqualTo("192.0.2.2");
        assertThat(answer("a.listed.example")).isEqualTo("198.51.100.1");
        assertThat(resolver.lifecycle().resolver().routing().tableMapped()).isTrue();
        assertThat(RuleTableFile.open(compiled).table().lookup("a.listed.example").matched()).isFalse();
    }

    @Test
    void start_withACorruptHeader_rebuildsTheFileInsteadOfUsingIt() throws Exception {
        start();
        resolver.close();
        byte[] bytes = Files.readAllBytes(compiled);
        bytes[60] ^= 0x5a; // inside the header: the key it was compiled from (the header checksum no longer matches)
        Files.write(compiled, bytes);

        start();

        assertThat(answer("a.listed.example")).isEqualTo("192.0.2.1");
        assertThat(answer("new.example")).isEqualTo("198.51.100.2");
        assertThat(RuleTableFile.open(compiled).table().lookup("a.listed.example").route()).as("rebuilt intact")
                .isEqualTo("tunnel");
    }

    @Test
    void start_withAFileCompiledFromOtherLists_doesNotServeIt() throws Exception {
        start();
        resolver.close();
        Path elsewhere = Files.createDirectories(dir.resolve("other"));
        Files.writeString(elsewhere.resolve("mine.txt"), "new.example\n");
        Files.writeString(elsewhere.resolve("splitroute.yaml"), Files.readString(config));
        RouteLists.load(io.splitroute.config.ConfigLoader.load(elsewhere.resolve("splitroute.yaml")));
        Files.copy(elsewhere.resolve(CompiledRuleTables.FILE_NAME), compiled, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        start();

        assertThat(answer("new.example")).as("not routed by the foreign file").isEqualTo("198.51.100.2");
        assertThat(answer("a.listed.example")).isEqualTo("192.0.2.1");
    }
}
