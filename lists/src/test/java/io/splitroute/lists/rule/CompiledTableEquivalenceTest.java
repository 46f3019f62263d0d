package io.splitroute.lists.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.lists.SharedData;
import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.format.ListLoader;
import io.splitroute.lists.format.ParsedList;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled table, on the heap and mapped from its file, decides every name exactly as the table did
 * before it was compiled ({@link ReferenceTable}): the same route, and the same rule with the same origin
 * (list, source file, line, text), and lists the same matching rules for {@code check}.
 */
class CompiledTableEquivalenceTest {
    @TempDir
    Path dir;

    /** One table's inputs: routes in order, and each route's rules in compact form. */
    private record Inputs(List<String> routes, List<String> routeOfRules, List<PackedRules> rules) {
        Inputs() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        Inputs add(String route, PackedRules packed) {
            if (!routes.contains(route)) {
                routes.add(route);
            }
            routeOfRules.add(route);
            rules.add(packed);
            return this;
        }

        Inputs add(String route, ParsedList list) {
            return add(route, list.packedRules());
        }

        RuleTable heap() {
            RuleTable.Builder b = RuleTable.builder();
            routes.forEach(b::route);
            for (int i = 0; i < rules.size(); i++) {
                b.addAll(routeOfRules.get(i), rules.get(i));
            }
            return b.build();
        }

        ReferenceTable reference() {
            PackedRules.Builder all = PackedRules.builder();
            byte[] routeOf = new byte[rules.stream().mapToInt(PackedRules::size).sum()];
            int at = 0;
            for (int i = 0; i < rules.size(); i++) {
                all.addAll(rules.get(i));
                java.util.Arrays.fill(routeOf, at, at + rules.get(i).size(), (byte) routes.indexOf(routeOfRules.get(i)));
                at += rules.get(i).size();
            }
            return ReferenceTable.of(routes.toArray(String[]::new), all.build(), routeOf);
        }
    }

    private void assertSameDecisions(Inputs inputs, Set<String> names) throws IOException {
        ReferenceTable reference = inputs.reference();
        RuleTable heap = inputs.heap();
        Path file = dir.resolve("rules.bin");
        RuleTableFile.write(file, heap, "key", new byte[0]);
        RuleTable mapped = RuleTableFile.open(file).table();

        assertThat(heap.size()).isEqualTo(reference.size());
        assertThat(mapped.size()).isEqualTo(reference.size());
        assertThat(mapped.routes()).isEqualTo(reference.routes());
        int decided = 0;
        for (String name : names) {
            RouteDecision expected = reference.lookup(name);
            assertThat(heap.lookup(name)).as("heap: %s", name).isEqualTo(expected);
            assertThat(mapped.lookup(name)).as("mapped: %s", name).isEqualTo(expected);
            assertThat(mapped.lookup(name)).as("mapped, again (cached): %s", name).isEqualTo(expected);
            List<Rule> matching = reference.matchingRules(name);
            assertThat(heap.matchingRules(name)).as("heap rules: %s", name).isEqualTo(matching);
            assertThat(mapped.matchingRules(name)).as("mapped rules: %s", name).isEqualTo(matching);
            decided += expected.rule() != null ? 1 : 0;
        }
        assertThat(decided).as("names that some rule decides").isGreaterThan(names.size() / 20);
    }

    /** Names around every rule: the value itself, under it, its parent, in other case, with a dot, unrelated. */
    private static Set<String> namesAround(Inputs inputs) {
        Set<String> names = new LinkedHashSet<>(List.of("", ".", "example.org", "WWW.GOOGLE.COM.", "例子.中国", "bücher.example",
                "a..b", "x-ads-y.com", "netflixdnstest5.com", "dualstack.apiproxy-1.amazonaws.com"));
        for (PackedRules packed : inputs.rules()) {
            for (int id = 0; id < packed.size(); id++) {
                String v = packed.value(id);
                names.add(v);
                names.add("www." + v);
                names.add("a.b." + v.toUpperCase(java.util.Locale.ROOT) + ".");
                names.add(v.contains(".") ? v.substring(v.indexOf('.') + 1) : "x" + v);
                names.add("zz" + v);
            }
        }
        return names;
    }

    private static Path fixture(String name) throws IOException {
        try {
            return Path.of(CompiledTableEquivalenceTest.class.getResource("/io/splitroute/lists/format/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static Origin inline(String route, int line, String text) {
        return new Origin("routes." + route + ".domains", "splitroute.yaml", line, text);
    }

    @Test
    void fixtures_mappedAndHeapDecideAsTheReference() throws IOException {
        PackedRules.Builder own = PackedRules.builder()
                .add(new Rule(RuleKind.FULL, "a.google.com", false, inline("mine", 3, "a.google.com")))
                .add(new Rule(RuleKind.SUFFIX, "google.com", true, inline("mine", 4, "@@google.com")))
                .add(new Rule(RuleKind.SUFFIX, "dl.google.com", false, inline("mine", 5, "dl.google.com")))
                .add(new Rule(RuleKind.KEYWORD, "ads", false, inline("mine", 6, "keyword:ads")))
                .add(new Rule(RuleKind.REGEXP, "^x-.*\\.com$", true, inline("mine", 7, "regexp")))
                .add(new Rule(RuleKind.SUFFIX, "cn", false, inline("mine", 8, "cn")))
                .add(new Rule(RuleKind.SUFFIX, "cn", false, inline("mine", 9, "cn again")));
        Inputs inputs = new Inputs()
                .add("tunnel", ListLoader.load("gfwlist", fixture("gfwlist-sample.txt"), ListFormatKind.GFWLIST))
                .add("mine", own.build())
                .add("v2", ListLoader.load("v2", fixture("v2fly/sample"), ListFormatKind.V2FLY))
                .add("domestic", ListLoader.load("china", fixture("china-sample.conf"), ListFormatKind.DNSMASQ))
                .add("tunnel", ListLoader.load("again", fixture("gfwlist-sample.gfwlist2dnsmasq.txt"), null));

        assertSameDecisions(inputs, namesAround(inputs));
    }

    @Test
    void realLists_mappedAndHeapDecideAsTheReferenceForEveryPopularName() throws IOException {
        Path gfw = SharedData.require("gfwlist/gfwlist.txt");
        Path china = SharedData.require("dnsmasq-china-list/accelerated-domains.china.conf");
        Inputs inputs = new Inputs()
                .add("tunnel", ListLoader.load("gfwlist", gfw, null))
                .add("domestic", ListLoader.load("china", china, null));
        Set<String> names = new LinkedHashSet<>();
        Optional<Path> popular = SharedData.dir().map(d -> d.resolve("popular-domains/umbrella-top-100k.txt")).filter(Files::exists);
        if (popular.isPresent()) {
            names.addAll(Files.readAllLines(popular.get()));
        }
        // names around the gfwlist rules and every tenth china rule: exceptions, overlaps, longer suffixes
        PackedRules gfwRules = inputs.rules().get(0);
        PackedRules chinaRules = inputs.rules().get(1);
        for (int id = 0; id < gfwRules.size(); id++) {
            names.add(gfwRules.value(id));
            names.add("www." + gfwRules.value(id));
        }
        for (int id = 0; id < chinaRules.size(); id += 10) {
            names.add("a." + chinaRules.value(id));
        }

        assertSameDecisions(inputs, names);
    }

    @Test
    void bundledGfwlistFromAStream_mappedDecidesAsTheReference() throws IOException {
        try (InputStream in = io.splitroute.lists.BundledLists.class.getResourceAsStream("gfwlist.txt")) {
            Inputs inputs = new Inputs().add("tunnel", ListLoader.load("gfwlist", "bundled", in, null));
            assertSameDecisions(inputs, namesAround(inputs));
        }
    }
}
