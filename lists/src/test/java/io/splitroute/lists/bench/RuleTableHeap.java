package io.splitroute.lists.bench;

import io.splitroute.lists.rule.RuleTable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Measures the retained heap of a compiled table (gfwlist + china list): heap used after full GCs with
 * the table reachable, minus heap used after dropping it. Also reports the cold-start parse+compile time
 * (first call in a fresh JVM) and the heap after every Umbrella name was looked up once (the table
 * materialises the rules that matched). Run: see {@code lists/README.md}.
 */
public final class RuleTableHeap {
    private RuleTableHeap() {
    }

    /**
     * Runs the measurement and prints the figures.
     *
     * @param args ignored
     * @throws Exception if the lists cannot be read
     */
    public static void main(String[] args) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        String[] names = BenchData.names();
        long base = usedAfterGc(memory);
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        RuleTable table = BenchData.loadTable();
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
        System.out.printf("%s: %d rules; cold parse+compile %d ms wall, %d ms CPU of the loading thread (%d CPUs, load %.1f)%n",
                BenchData.source(), table.size(), coldMillis, coldCpuMillis, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("retained heap of the table: %.1f MB after build, %.1f MB after %d lookups (%d matched)%n",
                (withTable - base) / 1e6, (afterLookups - base) / 1e6, names.length, matched);
        System.out.printf("process VmRSS with the table loaded: %s (JVM included)%n", vmRss());
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
