package io.splitroute.unlisted;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.support.RunningResolver;
import io.splitroute.testing.FakeUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** A reload keeps the verdicts, re-reads the IP lists, and drops the cached answers judged by changed lists. */
class UnlistedReloadIT {
    @TempDir
    Path dir;

    private String config(int port, FakeUpstream isp, FakeUpstream clean, String domesticIps) {
        return """
                listen: ["127.0.0.1:%d"]
                upstreams: { isp: ["%s"], clean: ["%s"] }
                ip-lists: { home: { file: home.txt }, more: { file: more.txt } }
                unlisted: { domestic: isp, trusted: clean, domestic-ips: %s }
                admin: off
                """.formatted(port, isp.udpUri(), clean.udpUri(), domesticIps);
    }

    @Test
    void reload_keepsVerdicts_readsTheNewLists_andDropsAnswersJudgedByChangedLists() throws Exception {
        try (FakeUpstream isp = FakeUpstream.start().answer("www.blocked.test.", Type.A, 300, "192.0.2.66");
             FakeUpstream clean = FakeUpstream.start().answer("www.blocked.test.", Type.A, 300, "192.0.2.10")) {
            Files.writeString(dir.resolve("home.txt"), "198.51.100.0/24\n");
            Files.writeString(dir.resolve("more.txt"), "203.0.113.0/24\n");
            int port = RunningResolver.freePort();
            Path file = Files.writeString(dir.resolve("splitroute.yaml"), config(port, isp, clean, "[home]"));
            try (RunningResolver resolver = RunningResolver.startFile(file, port)) {
                resolver.client().udp("www.blocked.test", Type.A);
                assertThat(isp.queryCount("www.blocked.test.", Type.A)).isEqualTo(1);

                Files.writeString(file, config(port, isp, clean, "[home, more]"));
                Files.writeString(dir.resolve("more.txt"), "203.0.113.0/24\n2001:db8::/32\n");
                assertThat(resolver.lifecycle().reload().applied()).isTrue();

                assertThat(explain(resolver, "www.blocked.test")).contains("verdict=foreign", "domestic-ips=home, more");
                Message again = resolver.client().udp("www.blocked.test", Type.A);
                assertThat(again.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.10");
                assertThat(clean.queryCount("www.blocked.test.", Type.A)).as("the cached answer was dropped").isEqualTo(2);
                assertThat(isp.queryCount("www.blocked.test.", Type.A)).as("the verdict was kept: foreign").isEqualTo(1);
                assertThat(resolver.lifecycle().resolver().verdicts().get("www.blocked.test").remembered()).isTrue();
            }
        }
    }

    private static List<String> explain(RunningResolver resolver, String name) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.TXT, DClass.CH));
        return ((TXTRecord) resolver.client().udp(q).getSection(Section.ANSWER).getFirst()).getStrings();
    }
}
