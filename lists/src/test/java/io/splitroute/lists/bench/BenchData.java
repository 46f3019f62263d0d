package io.splitroute.lists.bench;

import io.splitroute.lists.SharedData;
import io.splitroute.lists.compiled.RuleTableSpec;
import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.format.ListLoader;
import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.rule.Origin;
import io.splitroute.lists.rule.Rule;
import io.splitroute.lists.rule.RuleTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Inputs for the list benchmarks: the real gfwlist and accelerated-domains.china.conf and the Umbrella
 * top-100k query names from {@code ../shared/data} when present, generated look-alikes otherwise.
 */
final class BenchData {
    static final String GFWLIST = "gfwlist/gfwlist.txt";
    static final String CHINA = "dnsmasq-china-list/accelerated-domains.china.conf";
    static final String POPULAR = "popular-domains/umbrella-top-100k.txt";

    private BenchData() {
    }

    static Optional<Path> file(String relative) {
        return SharedData.dir().map(d -> d.resolve(relative)).filter(Files::isRegularFile);
    }

    /** Parses both lists and compiles them into one two-route table, as the resolver does at start. */
    static RuleTable loadTable() throws IOException {
        Optional<Path> gfw = file(GFWLIST);
        Optional<Path> china = file(CHINA);
        List<Rule> gfwRules = gfw.isPresent() ? ListLoader.load("gfwlist", gfw.get(), ListFormatKind.GFWLIST).rules() : generated("gfw", 4_300, 1);
        List<Rule> chinaRules = china.isPresent() ? ListLoader.load("china", china.get(), ListFormatKind.DNSMASQ).rules() : generated("china", 110_000, 2);
        return RuleTable.builder().route("tunnel").route("domestic")
                .addAll("tunnel", gfwRules).addAll("domestic", chinaRules).build();
    }

    /**
     * Returns the spec of the same two-route table, naming the list files: the real lists when present,
     * else the generated ones written as domain lists into {@code dir}.
     */
    static RuleTableSpec spec(Path dir) throws IOException {
        Optional<Path> gfw = file(GFWLIST);
        Optional<Path> china = file(CHINA);
        Path gfwFile = gfw.isPresent() ? gfw.get() : write(dir.resolve("gfw.txt"), generated("gfw", 4_300, 1));
        Path chinaFile = china.isPresent() ? china.get() : write(dir.resolve("china.txt"), generated("china", 110_000, 2));
        return RuleTableSpec.builder().route("tunnel").route("domestic").list("tunnel", "gfwlist").list("domestic", "china")
                .listFile("gfwlist", gfwFile, gfw.isPresent() ? ListFormatKind.GFWLIST : ListFormatKind.DOMAINS)
                .listFile("china", chinaFile, china.isPresent() ? ListFormatKind.DNSMASQ : ListFormatKind.DOMAINS)
                .build();
    }

    private static Path write(Path file, List<Rule> rules) throws IOException {
        return Files.write(file, rules.stream().map(Rule::value).toList());
    }

    /** Returns the query names: the Umbrella ranking when present, else generated names of similar shape. */
    static String[] names() throws IOException {
        Optional<Path> popular = file(POPULAR);
        if (popular.isPresent()) {
            return Files.readAllLines(popular.get()).stream().filter(s -> !s.isBlank()).toArray(String[]::new);
        }
        SplittableRandom r = new SplittableRandom(3);
        String[] names = new String[100_000];
        for (int i = 0; i < names.length; i++) {
            // about the Umbrella mix: 1 in 10 names under a gfwlist rule, 1 in 10 under a china rule
            int pick = r.nextInt(10);
            int g = r.nextInt(4_300);
            int c = r.nextInt(110_000);
            String base = pick < 1 ? "n" + g + ".gfw" + (g % 13) + ".com"
                    : pick < 2 ? "n" + c + ".china" + (c % 17) + ".com"
                    : "host" + r.nextInt(1_000_000) + ".example" + r.nextInt(100) + ".net";
            names[i] = r.nextInt(3) == 0 ? "www.cdn" + r.nextInt(50) + "." + base : base;
        }
        return names;
    }

    static String source() {
        return file(GFWLIST).isPresent() && file(CHINA).isPresent() ? "real lists" : "generated lists";
    }

    private static List<Rule> generated(String list, int n, int seed) {
        List<Rule> rules = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = "n" + i + "." + list + (i % (seed == 1 ? 13 : 17)) + ".com";
            rules.add(Rule.suffix(name, new Origin(list, "generated", i + 1, name)));
        }
        return rules;
    }
}
