package io.splitroute.lists.bench;

import io.splitroute.lists.compiled.CompiledRuleTables;
import io.splitroute.lists.rule.RuleTable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures, in a fresh JVM, what getting the table of gfwlist + the china list costs: the wall and CPU time
 * of the first load, and the retained heap (heap used after full GCs with the table reachable, minus before
 * it), also after every Umbrella name was looked up once (the table decodes the rules that matched).
 *
 * <p>Argument {@code heap} (default): parse and compile, as a start without a compiled file does.
 * Argument {@code mapped [FILE]}: {@code CompiledRuleTables.load} from a compiled file (default
 * {@code /tmp/splitroute-bench/splitroute-rules.bin}); the first run writes the file, run it again to measure a
 * start that maps it. Run: see {@code lists/README.md}.
 */
public final class RuleTableHeap {
    private RuleTableHeap() {
    }

    /**
     * Runs the measurement and prints the figures.
     *
     * @param args {@code heap}, or {@code mapped} and optionally the compiled file
     * @throws Exception if the lists cannot be read
     */
    public static void main(String[] args) throws Exception {
        boolean mapped = args.length > 0 && args[0].equals("mapped");
        Path file = Path.of(args.length > 1 ? args[1] : "/tmp/splitroute-bench/" + CompiledRuleTables.FILE_NAME);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        String[] names = BenchData.names();
        var spec = mapped ? BenchData.spec(Files.createDirectories(file.getParent())) : null;
        long base = usedAfterGc(memory);
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        String note = "parse + compile";
        RuleTable table;
        if (mapped) {
            CompiledRuleTables.Loaded loaded = CompiledRuleTables.load(spec, file);
            table = loaded.table();
            note = loaded.note();
        } else {
            table = BenchData.loadTable();
        }
        long coldMillis = (System.nanoTime() - t0) / 1_000_000;
        long coldCpuMillis = (threads.getCurrentThreadCpuTime() - c0) / 1_000_000;
        long withTable = usedAfterGc(memory);
        int matched = 0;
        for (String n : names) {
            if (table.lookup(n).matched()) {
                matched++;
            }
        }
        long afterLookups = usedAfterGc(memory);
        System.out.printf("%s: %d rules, %s; cold %d ms wall, %d ms CPU of the loading thread (%d CPUs, load %.1f)%n",
                BenchData.source(), table.size(), note, coldMillis, coldCpuMillis, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("retained heap of the table: %.1f MB after loading, %.1f MB after %d lookups (%d matched)%n",
                (withTable - base) / 1e6, (afterLookups - base) / 1e6, names.length, matched);
        System.out.printf("compiled form: %.1f MB (%s); process VmRSS: %s (JVM included)%n",
                table.compiledForm().byteSize() / 1e6, table.compiledForm().isNative() ? "mapped file" : "heap", vmRss());
        System.out.println(table.lookup("www.google.com"));
    }

    private static String vmRss() throws java.io.IOException {
        java.nio.file.Path status = java.nio.file.Path.of("/proc/self/status");
        if (!java.nio.file.Files.isReadable(status)) {
            return "unknown";
        }
        return java.nio.file.Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> l.substring(6).strip()).findFirst().orElse("unknown");
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
