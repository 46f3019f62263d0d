package io.splitroute.lists.bench;

import io.splitroute.lists.rule.RouteDecision;
import io.splitroute.lists.rule.RuleTable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Speed of the compiled rule table on gfwlist + accelerated-domains.china.conf (about 115 000 rules).
 *
 * <ul>
 *   <li>{@code lookup}: single-thread lookups per second over the Umbrella top-100k query names;</li>
 *   <li>{@code parseAndCompile}: reading both lists and building the table, once per call;</li>
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

    private RuleTable table;
    private String[] names;

    /** Loads the lists and the names once per fork. */
    @Setup
    public void setup() throws IOException {
        table = BenchData.loadTable();
        String[] all = BenchData.names();
        names = new String[NAMES];
        for (int i = 0; i < NAMES; i++) {
            names[i] = all[i % all.length];
        }
        System.out.println("# " + BenchData.source() + ": " + table.size() + " rules, " + all.length + " names");
    }

    /** Looks up every name once; the score is per lookup. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(NAMES)
    public void lookup(Blackhole bh) {
        for (String name : names) {
            RouteDecision d = table.lookup(name);
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
}
