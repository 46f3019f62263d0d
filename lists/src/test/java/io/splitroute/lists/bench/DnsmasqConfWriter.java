package io.splitroute.lists.bench;

import io.splitroute.lists.format.ListFormatKind;
import io.splitroute.lists.format.ListLoader;
import io.splitroute.lists.format.ParsedList;
import io.splitroute.lists.rule.Rule;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the benchmark's two lists as dnsmasq {@code server=} files with a loopback upstream, so that
 * dnsmasq can be started on exactly the same rules for a start-up time and RSS comparison
 * ({@code lists/src/test/scripts/dnsmasq-startup.sh}). The upstream is {@code 127.0.0.1#5353}: nothing
 * leaves the machine.
 */
public final class DnsmasqConfWriter {
    private DnsmasqConfWriter() {
    }

    /**
     * Writes {@code gfwlist.conf} and {@code china.conf} into a directory.
     *
     * @param args the output directory
     * @throws IOException if the lists cannot be read or the files written
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        write(ListLoader.load("gfwlist", BenchData.file(BenchData.GFWLIST).orElseThrow(), ListFormatKind.GFWLIST), out.resolve("gfwlist.conf"));
        write(ListLoader.load("china", BenchData.file(BenchData.CHINA).orElseThrow(), ListFormatKind.DNSMASQ), out.resolve("china.conf"));
    }

    private static void write(ParsedList list, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (Rule r : list.rules()) {
                w.write("server=/" + r.value() + "/" + (r.exception() ? "#" : "127.0.0.1#5353"));
                w.newLine();
            }
        }
        System.out.println(file + ": " + list.rules().size() + " lines");
    }
}
