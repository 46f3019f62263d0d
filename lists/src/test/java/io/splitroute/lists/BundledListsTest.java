package io.splitroute.lists;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.rule.RuleTable;
import org.junit.jupiter.api.Test;

class BundledListsTest {

    @Test
    void gfwlist_loadsFromTheJar() {
        ParsedList list = BundledLists.gfwlist();
        assertThat(list.name()).isEqualTo("gfwlist");
        assertThat(list.source()).isEqualTo(BundledLists.GFWLIST_SOURCE);
        assertThat(list.rules()).hasSizeGreaterThan(4000);
        assertThat(list.problems()).isEmpty();
        assertThat(BundledLists.gfwlist().rules()).isEqualTo(list.rules());
    }

    @Test
    void gfwlist_routesGoogleButNotItsExceptions() {
        RuleTable t = RuleTable.builder().route("tunnel").addAll("tunnel", BundledLists.gfwlist().rules()).build();
        assertThat(t.lookup("www.google.com").route()).isEqualTo("tunnel");
        assertThat(t.lookup("www.google.com").rule().origin().text()).isEqualTo("||google.com");
        assertThat(t.lookup("dl.google.com").excluded()).isTrue();
        assertThat(t.lookup("example.org").matched()).isFalse();
    }

    @Test
    void gfwlistBytes_isThePublishedBase64() {
        byte[] bytes = BundledLists.gfwlistBytes();
        assertThat(bytes).hasSize(98_943);
        assertThat(new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).matches("[A-Za-z0-9+/]{8}");
    }
}
