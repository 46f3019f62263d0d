package io.splitroute.lists.bench;

import io.splitroute.lists.compiled.CompiledRuleTables;
import io.splitroute.lists.compiled.RuleTableSpec;
import io.splitroute.lists.rule.RouteDecision;
import io.splitroute.lists.rule.RuleTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Speed of the compiled rule table on gfwlist + accelerated-domains.china.conf (about 115 000 rules).
 *
 * <ul>
 *   <li>{@code lookup}: single-thread lookups per second over the Umbrella top-100k query names, on the
 *       table built on the heap ({@code table=heap}) or mapped from its compiled file ({@code table=mapped});</li>
 *   <li>{@code parseAndCompile}: reading both lists and building the table, once per call;</li>
 *   <li>{@code openMapped}: what a start with a current compiled file costs instead: checking the file
 *       against the lists (their SHA-256) and mapping it ({@code CompiledRuleTables.load});</li>
 *   <li>{@code readNamesOnly}: hashing the same names without the table, as a machine reference.</li>
 * </ul>
 * The retained heap is measured by {@link RuleTableHeap}. Command: see {@code lists/README.md}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RuleTableBenchmark {
    private static final int NAMES = 100_000;

    /** Where the table is read from: {@code heap} (built) or {@code mapped} (its compiled file). */
    @Param({"heap", "mapped"})
    public String table;

    private RuleTable rules;
    private String[] names;
    private RuleTableSpec spec;
    private Path compiled;

    /** Loads the lists and the names once per fork. */
    @Setup
    public void setup() throws IOException {
        Path dir = Files.createTempDirectory("rule-table-bench");
        spec = BenchData.spec(dir);
        compiled = dir.resolve(CompiledRuleTables.FILE_NAME);
        CompiledRuleTables.Loaded loaded = CompiledRuleTables.load(spec, compiled);
        rules = table.equals("mapped") ? loaded.table() : BenchData.loadTable();
        String[] all = BenchData.names();
        names = new String[NAMES];
        for (int i = 0; i < NAMES; i++) {
            names[i] = all[i % all.length];
        }
        System.out.println("# " + BenchData.source() + ": " + rules.size() + " rules, " + all.length + " names, "
                + table + " (" + loaded.note() + ")");
    }

    /** Removes the compiled file (and generated lists) of this fork. */
    @TearDown
    public void tearDown() throws IOException {
        try (var files = Files.list(compiled.getParent())) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(compiled.getParent());
    }

    /** Looks up every name once; the score is per lookup. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(NAMES)
    public void lookup(Blackhole bh) {
        for (String name : names) {
            RouteDecision d = rules.lookup(name);
            bh.consume(d);
        }
    }

    /**
     * Reference on the same machine and load: only reads every character of every name (a lookup must at
     * least do this). On a shared, loaded machine compare {@code lookup} with this, not with a target.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(NAMES)
    public void readNamesOnly(Blackhole bh) {
        for (String name : names) {
            int h = 0;
            for (int i = 0; i < name.length(); i++) {
                h = h * 31 + name.charAt(i);
            }
            bh.consume(h);
        }
    }

    /** Parses both lists and compiles the table. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, batchSize = 1)
    @Measurement(iterations = 10, batchSize = 1)
    public RuleTable parseAndCompile() throws IOException {
        return BenchData.loadTable();
    }

    /** Checks the compiled file against the lists and maps it, as a start with a current file does. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, batchSize = 1)
    @Measurement(iterations = 10, batchSize = 1)
    public RuleTable openMapped() {
        CompiledRuleTables.Loaded loaded = CompiledRuleTables.load(spec, compiled);
        if (!loaded.mapped()) {
            throw new IllegalStateException("not mapped: " + loaded.note());
        }
        return loaded.table();
    }
}
